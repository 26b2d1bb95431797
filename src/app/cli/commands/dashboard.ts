import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { openUsersFile } from '../../../adapters/auth/index.js';
import { isLoopbackHost, serveDashboard } from '../../dashboard/serve.js';
import { AppError, EXIT } from '../../errors.js';
import { keyFrom, keyOptions, parse } from '../io.js';

const HELP = `
Usage: ashare dashboard --journal PATH [--key-file F] [--users FILE] [--host 127.0.0.1] [--port 8750]
                        [--tls-cert F --tls-key F] [--origin URL …] [--security-log FILE]
                        [--idle-minutes 15] [--absolute-hours 8] [--allow-plaintext]

The monitoring dashboard of a journal (a running ashare run, or a finished backtest or paper run):
overview, positions, orders and fills, risk, alerts and a journal browser, updated live over a
websocket. It reads the journal read-only and never writes it; the kill switch and alert
acknowledgements go to the running service through its command channel, each with a fresh
authenticator code. Sign-in is password + TOTP for the users of --users (see ashare user add).
It makes no outgoing connection: the air gap's egress guard is armed, allowing nothing, while it runs.
  --users FILE        the users file (default users.sqlite beside the journal), encrypted with the journal key
  --host H            where to listen (default 127.0.0.1); anything but loopback needs --tls-cert and --tls-key
  --port N            default 8750; 0 picks a free port (printed)
  --origin URL        another origin the pages are reached at (an SSH tunnel's local port), repeatable
  --security-log F    the hash-chained security log (default <journal>.security.sqlite)
  --idle-minutes N    sign out after N minutes without a request (default 15)
  --absolute-hours N  sign out N hours after sign-in whatever happens (default 8)
  --allow-plaintext   accept an unencrypted journal and users file

Exit codes: 0 stopped by SIGTERM/SIGINT, 2 usage (e.g. a non-loopback host without TLS), 3 bad
input, 4 journal, users file or key problem.`;

const options = {
  journal: { type: 'string' }, users: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' },
  'tls-cert': { type: 'string' }, 'tls-key': { type: 'string' }, origin: { type: 'string', multiple: true },
  'security-log': { type: 'string' }, 'idle-minutes': { type: 'string' }, 'absolute-hours': { type: 'string' },
  'allow-plaintext': { type: 'boolean' }, ...keyOptions,
} as const;

function positive(v: string | undefined, name: string, def: number, max: number): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || n > max) throw new AppError('USAGE', `--${name} takes a number in (0, ${max}], got ${JSON.stringify(v)}`, EXIT.usage);
  return n;
}

export async function dashboardCommand(argv: string[]): Promise<number> {
  const a = parse(argv, options, HELP);
  if (!a) return EXIT.ok;
  const v = a.values;
  if (typeof v.journal !== 'string') throw new AppError('USAGE', 'dashboard needs --journal PATH (see --help)', EXIT.usage);
  const journalPath = resolve(v.journal);
  process.umask(0o077); // the security log and anything else it creates: the owner's alone
  const host = v.host ?? '127.0.0.1';
  const port = v.port === undefined ? 8750 : Number(v.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new AppError('USAGE', `--port takes 0–65535, got ${JSON.stringify(v.port)}`, EXIT.usage);
  if ((v['tls-cert'] === undefined) !== (v['tls-key'] === undefined)) throw new AppError('USAGE', '--tls-cert and --tls-key go together', EXIT.usage);
  const tlsFiles = v['tls-cert'] !== undefined ? { cert: v['tls-cert'], key: v['tls-key']! } : null;
  if (!isLoopbackHost(host) && !tlsFiles) {
    throw new AppError('USAGE', `refusing to listen on ${host} without TLS: sign-in cookies and positions would cross the network in clear; pass --tls-cert and --tls-key, or keep 127.0.0.1 and reach it through an SSH tunnel`, EXIT.usage);
  }
  let tls: { key: Buffer; cert: Buffer } | undefined;
  if (tlsFiles) {
    try {
      tls = { cert: readFileSync(tlsFiles.cert), key: readFileSync(tlsFiles.key) };
    } catch (e) {
      throw new AppError('TLS_FILES', `cannot read the TLS certificate or key (${(e as NodeJS.ErrnoException).code ?? 'I/O error'})`, EXIT.badInput);
    }
  }
  const key = keyFrom(v);
  if (!key && v['allow-plaintext'] !== true) {
    throw new AppError('JOURNAL_KEY_REQUIRED', 'the dashboard needs the journal key (--key-file or ASHARE_JOURNAL_KEY_FILE) to read an encrypted journal and its users file; --allow-plaintext for plaintext ones', EXIT.journal);
  }
  const usersPath = resolve(v.users ?? join(dirname(journalPath), 'users.sqlite'));
  const users = openUsersFile({ path: usersPath, ...(key ? { key } : {}), allowPlaintext: v['allow-plaintext'] === true });
  if (isLeft(users)) throw new AppError(users.left.code, users.left.message, users.left.code.startsWith('USERS_FILE') ? EXIT.journal : EXIT.badInput);
  const idleMinutes = positive(v['idle-minutes'], 'idle-minutes', 15, 24 * 60);
  const absoluteHours = positive(v['absolute-hours'], 'absolute-hours', 8, 24 * 7);
  const extraOrigins = (v.origin ?? []).map((o) => {
    try {
      return new URL(o).origin;
    } catch {
      throw new AppError('USAGE', `--origin ${JSON.stringify(o)} is not a URL like http://localhost:9000`, EXIT.usage);
    }
  });
  let served;
  try {
    // The egress guard is armed inside, for as long as the dashboard serves: it needs no outgoing connection.
    served = await serveDashboard({
      journalPath, key, users: users.right, securityLogPath: resolve(v['security-log'] ?? `${journalPath}.security.sqlite`), tls,
      idleSeconds: idleMinutes * 60, absoluteSeconds: absoluteHours * 3600, host, port, extraOrigins,
    });
  } catch (e) {
    users.right.close();
    throw e;
  }
  process.stdout.write(`ashare dashboard: listening on ${served.url} for ${journalPath}\n`);
  await new Promise<void>((res) => {
    const stop = () => res();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  await served.close();
  users.right.close();
  return EXIT.ok;
}
