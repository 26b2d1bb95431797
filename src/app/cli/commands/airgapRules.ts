import { promises as dnsPromises } from 'node:dns';
import net from 'node:net';
import { userInfo } from 'node:os';
import { isLeft } from 'fp-ts/lib/Either.js';
import { parseEndpoint } from '../../../domain/schedule/airgap.js';
import { DEFAULT_NFT_TABLE, isNftTableName, isNftUserName, nftRuleset, type NftAllowedAddress } from '../../airgap/nftRules.js';
import { loadConfig } from '../../config/index.js';
import { AppError, EXIT } from '../../errors.js';
import { parse } from '../io.js';

const HELP = `
Usage: ashare airgap rules --config F [--user NAME] [--table NAME]

Prints an nftables ruleset (nft -f syntax) for the config's air gap: the service's user may send to
loopback, to the airgap.allow endpoints (TCP) and replies to clients that connected in; every other
outgoing packet of that user is rejected and counted; other users are untouched. Nothing is applied:
save it, and run nft -f FILE when the window opens and nft delete table inet ashare_airgap when it
closes (the output's first lines show cron and systemd examples for the config's window).
Host names in airgap.allow are resolved now (every address); print the rules again when they change.
  --user NAME    the user the service runs as, a name or a uid (default: the current user)
  --table NAME   the nftables table, family inet (default ${DEFAULT_NFT_TABLE})

Exit codes: 0 printed, 2 usage, 3 bad config (no airgap: section) or a name that does not resolve.`;

/** Every address of each allow-list entry: IP literals as they are, names through dns.lookup (all). */
async function resolveAllow(allow: readonly string[]): Promise<NftAllowedAddress[]> {
  const out: NftAllowedAddress[] = [];
  for (const entry of allow) {
    const e = parseEndpoint(entry);
    if (typeof e === 'string') throw new AppError('CONFIG_INVALID', `airgap.allow: ${e}`, EXIT.badInput); // the schema checked it already
    if (net.isIP(e.host) !== 0) {
      out.push({ address: e.host, port: e.port, host: e.host });
      continue;
    }
    let found: { address: string; family: number }[];
    try {
      found = await dnsPromises.lookup(e.host, { all: true, verbatim: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      throw new AppError('AIRGAP_HOST_UNRESOLVED', `airgap.allow ${entry}: the name ${e.host} does not resolve (${code}); list its address or fix the name`, EXIT.badInput);
    }
    // v4 before v6, each ascending: the same addresses print the same file whatever order DNS gave.
    const addresses = [...new Set(found.map((f) => f.address.toLowerCase()))]
      .sort((a, b) => net.isIP(a) - net.isIP(b) || (a < b ? -1 : a > b ? 1 : 0));
    if (addresses.length === 0) throw new AppError('AIRGAP_HOST_UNRESOLVED', `airgap.allow ${entry}: the name ${e.host} has no address`, EXIT.badInput);
    for (const address of addresses) out.push({ address, port: e.port, host: e.host });
  }
  return out;
}

/** `ashare airgap rules`: the OS-level half of the air gap, printed for a person to apply. */
export async function airgapRulesCommand(argv: string[]): Promise<number> {
  const a = parse(argv, { config: { type: 'string' }, user: { type: 'string' }, table: { type: 'string' } }, HELP);
  if (!a) return EXIT.ok;
  const v = a.values;
  if (typeof v.config !== 'string') throw new AppError('USAGE', 'airgap rules needs --config FILE (see --help)', EXIT.usage);
  if (a.positionals.length > 0) throw new AppError('USAGE', `unexpected argument ${JSON.stringify(a.positionals[0])} (see --help)`, EXIT.usage);
  const table = typeof v.table === 'string' ? v.table.replace(/^inet\s+/, '') : DEFAULT_NFT_TABLE;
  if (!isNftTableName(table)) throw new AppError('USAGE', `--table ${JSON.stringify(v.table)} is not a table name (letters, digits and _; the family is always inet)`, EXIT.usage);
  const user = typeof v.user === 'string' ? v.user : userInfo().username;
  const isUid = /^\d+$/.test(user);
  if (!isUid && !isNftUserName(user)) throw new AppError('USAGE', `--user ${JSON.stringify(user)} is not a user name or uid`, EXIT.usage);

  const loaded = loadConfig(v.config);
  if (isLeft(loaded)) throw new AppError(loaded.left.code, loaded.left.problems.join('\n'), EXIT.badInput);
  const airgap = loaded.right.config.airgap;
  if (!airgap) throw new AppError('AIRGAP_NOT_CONFIGURED', `${v.config} has no airgap: section (add airgap: {enabled: true, window: "09:00-15:30", allow: [broker:port]})`, EXIT.badInput);
  if (!airgap.enabled) process.stderr.write(`ashare airgap rules: warning: airgap.enabled is not true in ${v.config}: the service will not arm its guard; the rules are printed anyway\n`);
  if (airgap.allow.some((s) => { const e = parseEndpoint(s); return typeof e !== 'string' && net.isIP(e.host) === 0; })) {
    process.stderr.write('ashare airgap rules: warning: host names in airgap.allow are resolved now, to the addresses they have today; print the rules again when they change\n');
  }
  if (airgap.allow.length === 0) process.stderr.write('ashare airgap rules: warning: airgap.allow is empty: the user reaches nothing but loopback\n');

  const allow = await resolveAllow(airgap.allow);
  const text = nftRuleset({ ...(isUid ? { uid: Number(user) } : { user }), table, allow, window: airgap.window });
  process.stdout.write(text);
  return EXIT.ok;
}
