import { readFileSync } from 'node:fs';
import { isLeft, type Either } from 'fp-ts/lib/Either.js';
import QRCode from 'qrcode';
import { openUsersFile, type AuthError, type Enrolment, type UsersStore } from '../../../adapters/auth/index.js';
import { AppError, EXIT } from '../../errors.js';
import { keyFrom, keyOptions, parse, printJson } from '../io.js';

const HELP = `
Usage: ashare user add NAME --users FILE --password-file F [--key-file F] [--allow-plaintext] [--json]
       ashare user remove NAME --users FILE [--key-file F] [--allow-plaintext] [--json]
       ashare user reset-totp NAME --users FILE [--key-file F] [--allow-plaintext] [--json]
       ashare user list --users FILE [--key-file F] [--allow-plaintext] [--json]

The dashboard's users: each logs in with a password and a TOTP code from an authenticator app.
add enrols NAME (1-64 characters of A-Z a-z 0-9 . _ -) and prints the TOTP secret, its otpauth://
URI and a QR code of it once; reset-totp gives NAME a new secret (the old codes stop working at
once) and lifts a lockout. The users file is encrypted with the journal's key and created mode 0600.
  --users FILE          the users file (add creates it)
  --password-file F     the password on its first line (12 to 128 characters); never on the command line
  --key-file F          the journal's AES-256 key (or ASHARE_JOURNAL_KEY_FILE / ASHARE_JOURNAL_PASSPHRASE)
  --allow-plaintext     accept working without a key, on an unencrypted users file
  --json                add/reset-totp: {name, totpSecret, otpauthUri}; remove: {name, removed}; list: {users}

Exit codes: 0 ok, 2 usage, 3 bad input (name, password, unknown or existing user), 4 users file or key problem.`;

const options = {
  users: { type: 'string' }, 'password-file': { type: 'string' }, 'allow-plaintext': { type: 'boolean' }, json: { type: 'boolean' }, ...keyOptions,
} as const;

const SUBCOMMANDS = ['add', 'remove', 'reset-totp', 'list'] as const;
type Sub = (typeof SUBCOMMANDS)[number];
const isSub = (s: string): s is Sub => (SUBCOMMANDS as readonly string[]).includes(s);

/** Users-file failures are storage or key problems (exit 4); the rest are about the input (exit 3). */
const fail = (e: AuthError): AppError => new AppError(e.code, e.message, e.code.startsWith('USERS_FILE_') ? EXIT.journal : EXIT.badInput);

const orThrow = <A>(r: Either<AuthError, A>): A => {
  if (isLeft(r)) throw fail(r.left);
  return r.right;
};

/** The first line of the file, without its line ending; the error names the file, never its content. */
function readPassword(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new AppError('PASSWORD_FILE_UNREADABLE', `cannot read password file ${path} (${(e as NodeJS.ErrnoException).code ?? 'an I/O error'})`, EXIT.badInput);
  }
  const nl = text.indexOf('\n');
  return (nl < 0 ? text : text.slice(0, nl)).replace(/\r$/, '');
}

async function printEnrolment(e: Enrolment, json: boolean, what: string): Promise<void> {
  if (json) {
    printJson({ name: e.name, totpSecret: e.totpSecret, otpauthUri: e.otpauthUri });
    return;
  }
  const qr = await QRCode.toString(e.otpauthUri, { type: 'terminal', small: true });
  process.stdout.write(`${what}\nTOTP secret: ${e.totpSecret}\notpauth URI: ${e.otpauthUri}\n${qr}\n`
    + 'Scan this QR code (or type the secret) into an authenticator app now: it is not shown again.\n');
}

export async function userCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    process.stdout.write(HELP.trim() + '\n');
    return sub === undefined ? EXIT.usage : EXIT.ok;
  }
  if (!isSub(sub)) throw new AppError('USAGE', `unknown user command ${JSON.stringify(sub)}; use add, remove, reset-totp or list`, EXIT.usage);
  const a = parse(rest, options, HELP);
  if (!a) return EXIT.ok;
  const v = a.values;
  const name = a.positionals[0];
  const wantsName = sub !== 'list';
  if (wantsName && name === undefined) throw new AppError('USAGE', `user ${sub} needs a user NAME (see --help)`, EXIT.usage);
  if (a.positionals.length > (wantsName ? 1 : 0)) throw new AppError('USAGE', `user ${sub} takes ${wantsName ? 'one NAME' : 'no NAME'} (see --help)`, EXIT.usage);
  if (typeof v.users !== 'string') throw new AppError('USAGE', `user ${sub} needs --users FILE`, EXIT.usage);
  if (sub === 'add' && typeof v['password-file'] !== 'string') throw new AppError('USAGE', 'user add needs --password-file F (the password is never taken on the command line)', EXIT.usage);
  if (sub !== 'add' && v['password-file'] !== undefined) throw new AppError('USAGE', `user ${sub} takes no --password-file`, EXIT.usage);
  const key = keyFrom(v);
  if (!key && v['allow-plaintext'] !== true) {
    throw new AppError('USERS_FILE_KEY_REQUIRED', 'the users file must be encrypted like the journal: pass --key-file or set ASHARE_JOURNAL_KEY_FILE, or --allow-plaintext', EXIT.journal);
  }
  // Read before the users file is opened, so that a bad password file leaves no new users file behind.
  const password = sub === 'add' ? readPassword(v['password-file'] as string) : '';
  const store = orThrow(openUsersFile({ path: v.users, key, create: sub === 'add', allowPlaintext: v['allow-plaintext'] === true }));
  try {
    return await act(store, sub, name ?? '', password, v.json === true);
  } finally {
    store.close();
  }
}

async function act(store: UsersStore, sub: Sub, name: string, password: string, json: boolean): Promise<number> {
  const nowMs = Date.now(); // allow-nondeterminism: app layer, the enrolment's wall-clock stamp
  switch (sub) {
    case 'add':
      await printEnrolment(orThrow(store.add(name, password, nowMs)), json, `User ${name} added to ${store.path}.`);
      break;
    case 'reset-totp':
      await printEnrolment(orThrow(store.resetTotp(name, nowMs)), json, `User ${name} has a new TOTP secret; the old one no longer works.`);
      break;
    case 'remove':
      orThrow(store.remove(name));
      if (json) printJson({ name, removed: true });
      else process.stdout.write(`User ${name} removed from ${store.path}.\n`);
      break;
    case 'list': {
      const users = orThrow(store.list());
      if (json) printJson({ users });
      else process.stdout.write(users.length === 0 ? `No users in ${store.path}.\n` : users.map((u) => `${u}\n`).join(''));
      break;
    }
  }
  return EXIT.ok;
}
