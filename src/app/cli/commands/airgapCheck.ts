import { dirname, join, resolve } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { createSystemServiceClock, parseInstant } from '../../../adapters/clock/serviceClock.js';
import { commandDirOf } from '../../../adapters/commands/commandChannel.js';
import { loadMarketRules } from '../../../adapters/market/marketRulesFile.js';
import { parseAirgapWindow, parseEndpoint, type Endpoint } from '../../../domain/schedule/airgap.js';
import { runAirgapCheck, type AirgapReport, type TryTarget } from '../../airgap/check.js';
import { loadConfig, type LoadedConfig } from '../../config/index.js';
import { AppError, EXIT } from '../../errors.js';
import { paperBrokerPath } from '../../service/serviceBroker.js';
import { keyFrom, keyOptions, packageRoot, parse, printJson } from '../io.js';

const HELP = `
Usage: ashare airgap check --config F [--at ISO] [--try URL …] [--journal PATH] [--users FILE]
                           [--key-file F] [--json]

Proves the air gap's state through the same guarded network stack the service runs under: the
egress guard is installed in this process and armed with airgap.allow when the window is open at
--at (default now), then it really tries outside addresses and DNS (refused by the guard inside the
window), each --try target and each allow entry. At rest: listening sockets of this user are on
loopback or speak TLS; the journal, the paper broker's book, the users file and the security log
are encrypted; the key file is 0600, the journal's directory and the command channel 0700. With no
journal key configured these three checks fail even before any file exists (it would be written in
clear); with a key, a file not created yet passes.
  --at ISO        the instant to check as (2024-03-05T10:00:00+08:00; without an offset, Shanghai time)
  --try T         http://HOST[:PORT], https://HOST[:PORT] or HOST:PORT; a TCP connection is attempted
                  and reported as {target, allowed, reached} (repeatable)
  --journal PATH  the run's journal (default <journal.dir>/<name>.sqlite)
  --users FILE    the dashboard's users file (default users.sqlite beside the journal)
  --key-file F    the journal key file whose mode is checked (else ASHARE_JOURNAL_KEY_FILE, journal.keyFile)
  --json          {ok, armed, at, window, checks: [{name, ok, detail}], targets: [{target, source, allowed, reached, detail}]}

The network attempts happen now; only the guard's state is taken as at --at.
Exit codes: 0 every check passed, 1 a check failed, 2 usage, 3 bad config (no airgap: section).`;

const options = {
  config: { type: 'string' }, at: { type: 'string' }, try: { type: 'string', multiple: true }, journal: { type: 'string' }, users: { type: 'string' },
  json: { type: 'boolean' }, ...keyOptions,
} as const;

/** `http(s)://host[:port]` or `host:port`, or a sentence saying why not. */
export function parseTryTarget(s: string): TryTarget | string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) {
    let u: URL;
    try {
      u = new URL(s);
    } catch {
      return `--try ${JSON.stringify(s)} is not a URL`;
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return `--try ${JSON.stringify(s)}: only http://, https:// or host:port`;
    const host = u.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (host === '') return `--try ${JSON.stringify(s)} has no host`;
    return { text: s, host, port: u.port !== '' ? Number(u.port) : u.protocol === 'https:' ? 443 : 80 };
  }
  const e = parseEndpoint(s);
  return typeof e === 'string' ? `--try takes http://…, https://… or host:port: ${e}` : { text: s, ...e };
}

/** The key file to check, as the service would pick its key (flag, environment, then config), or why there is none. */
function keyFileOf(values: { 'key-file'?: string }, l: LoadedConfig): { keyConfigured: boolean; keyFile: string | null; keyNote: string } {
  const k = keyFrom(values);
  if (k?.kind === 'keyFile') return { keyConfigured: true, keyFile: resolve(k.path), keyNote: '' };
  if (k?.kind === 'passphrase') return { keyConfigured: true, keyFile: null, keyNote: 'the key is a passphrase from ASHARE_JOURNAL_PASSPHRASE (no key file)' };
  const j = l.config.journal;
  if (j.keyFile) return { keyConfigured: true, keyFile: resolve(l.baseDir, j.keyFile), keyNote: '' };
  if (j.passphraseEnv) return { keyConfigured: true, keyFile: null, keyNote: `the key is a passphrase from ${j.passphraseEnv} (no key file)` };
  return { keyConfigured: false, keyFile: null, keyNote: 'no journal key is configured' };
}

export async function airgapCheckCommand(argv: string[]): Promise<number> {
  const a = parse(argv, options, HELP);
  if (!a) return EXIT.ok;
  const v = a.values;
  if (typeof v.config !== 'string') throw new AppError('USAGE', 'airgap check needs --config FILE (see --help)', EXIT.usage);
  if (a.positionals.length > 0) throw new AppError('USAGE', `unexpected argument ${JSON.stringify(a.positionals[0])} (see --help)`, EXIT.usage);
  const atMs = v.at === undefined ? createSystemServiceClock().now() : parseInstant(v.at);
  if (atMs === null) throw new AppError('USAGE', `--at ${JSON.stringify(v.at)} is not an ISO 8601 date-time like 2024-03-05T10:00:00+08:00`, EXIT.usage);
  const tries = (v.try ?? []).map((t) => {
    const r = parseTryTarget(t);
    if (typeof r === 'string') throw new AppError('USAGE', r, EXIT.usage);
    return r;
  });
  const loaded = loadConfig(v.config);
  if (isLeft(loaded)) throw new AppError(loaded.left.code, loaded.left.problems.join('\n'), EXIT.badInput);
  const l = loaded.right;
  const airgap = l.config.airgap;
  if (!airgap) {
    throw new AppError('CONFIG_INVALID', `${v.config} has no airgap: section, so nothing is enforced; add airgap: {enabled: true, window: "09:00-15:30", allow: [the broker's host:port]}`, EXIT.badInput);
  }
  const window = parseAirgapWindow(airgap.window);
  if (typeof window === 'string') throw new AppError('CONFIG_INVALID', `${v.config}: airgap.window: ${window}`, EXIT.badInput);
  const allow = airgap.allow.map((s) => parseEndpoint(s)).filter((e): e is Endpoint => typeof e !== 'string'); // validated by the schema
  const rules = loadMarketRules(join(packageRoot(), 'config', 'market'));
  if (isLeft(rules)) throw new AppError('MARKET_RULES_INVALID', rules.left.message, EXIT.internal);
  const journalPath = resolve(v.journal ?? join(l.config.journal.dir, `${l.config.name}.sqlite`));
  const report = await runAirgapCheck({
    airgap, window, calendar: rules.right.calendar, atMs, tries, allow,
    journalPath, usersPath: resolve(v.users ?? join(dirname(journalPath), 'users.sqlite')), securityLogPath: `${journalPath}.security.sqlite`,
    brokerBookPath: l.config.broker.kind === 'paper' ? paperBrokerPath(journalPath, l) : null, commandDir: commandDirOf(journalPath),
    ...keyFileOf(v, l),
  });
  if (v.json === true) printJson(report);
  else process.stdout.write(describeReport(report));
  return report.ok ? EXIT.ok : EXIT.checkFailed;
}

/** The report as lines for a person. */
export function describeReport(r: AirgapReport): string {
  const lines = [`air gap at ${r.at} (window ${r.window}): ${r.armed ? 'ARMED: the guard refuses everything not on airgap.allow' : 'not armed'}`];
  const w = Math.max(...r.checks.map((c) => c.name.length));
  for (const c of r.checks) lines.push(`  ${c.ok ? 'ok  ' : 'FAIL'}  ${c.name.padEnd(w)}  ${c.detail}`);
  if (r.targets.length > 0) {
    lines.push('targets:');
    const tw = Math.max(...r.targets.map((t) => t.target.length));
    for (const t of r.targets) lines.push(`  ${t.target.padEnd(tw)}  ${t.allowed ? 'allowed    ' : 'not allowed'}  ${t.reached ? 'reached' : `not reached (${t.detail})`}`);
  }
  const failed = r.checks.filter((c) => !c.ok);
  lines.push(failed.length === 0 ? `all ${r.checks.length} checks passed` : `${failed.length} of ${r.checks.length} checks failed: ${failed.map((c) => c.name).join(', ')}`);
  return lines.join('\n') + '\n';
}
