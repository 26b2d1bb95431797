import net from 'node:net';
import { formatEndpoint, parseAirgapWindow } from '../../domain/schedule/airgap.js';

/*
 * The air gap's OS-level rules: an nftables ruleset (`nft -f` syntax) that holds one user's
 * packets to loopback, the allow list and replies to clients that connected in. Pure: names are
 * resolved by the caller (ashare airgap rules), so the same input always prints the same text.
 */

/** One resolved allow-list endpoint: an IP address, its TCP port and the name the config gave. */
export interface NftAllowedAddress {
  readonly address: string;
  readonly port: number;
  /** The allow-list entry's host as written (a name, or the address itself). */
  readonly host: string;
}

export type NftRulesInput = ({ readonly user: string } | { readonly uid: number }) & {
  /** The table's name in family inet (default ashare_airgap). */
  readonly table?: string;
  readonly allow: readonly NftAllowedAddress[];
  /** The config's airgap.window ("09:00-15:30"), for the schedule examples (default 09:00-15:30). */
  readonly window?: string;
  /** Where the example lines say the ruleset was saved (default /etc/ashare/airgap.nft). */
  readonly file?: string;
};

export const DEFAULT_NFT_TABLE = 'ashare_airgap';
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** POSIX-ish user names (a trailing $ for machine accounts); nothing nft could read as syntax. */
const USER_RE = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}\$?$/;

export const isNftTableName = (s: string): boolean => NAME_RE.test(s);
export const isNftUserName = (s: string): boolean => USER_RE.test(s);

/** nft comments: at most 128 bytes, no double quote, printable ASCII. */
const comment = (s: string): string => `comment "${s.replace(/[^\x20-\x7e]|"/g, '?').slice(0, 128)}"`;

const hhmm = (min: number): string => `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;

/**
 * The ruleset text. Everything hangs off one jump on `meta skuid`, so packets of other users — and
 * packets the kernel sends without a socket (RSTs, ICMP errors), on which skuid matches nothing —
 * never reach the reject. Replies are accepted only in the reply direction of a connection (a
 * client of the dashboard connected in): an outgoing connection opened before the window does not
 * survive into it. Throws on an input the CLI should have refused (bad table, user or address).
 */
export function nftRuleset(input: NftRulesInput): string {
  const table = input.table ?? DEFAULT_NFT_TABLE;
  if (!NAME_RE.test(table)) throw new RangeError(`${JSON.stringify(table)} is not an nftables table name`);
  let who: string, match: string;
  if ('uid' in input) {
    if (!Number.isInteger(input.uid) || input.uid < 0 || input.uid > 0xfffffffe) throw new RangeError(`${input.uid} is not a uid`);
    who = `uid ${input.uid}`;
    match = String(input.uid);
  } else {
    if (!USER_RE.test(input.user)) throw new RangeError(`${JSON.stringify(input.user)} is not a user name`);
    who = `user ${input.user}`;
    match = `"${input.user}"`;
  }
  const window = parseAirgapWindow(input.window ?? '09:00-15:30');
  if (typeof window === 'string') throw new RangeError(window);
  const file = input.file ?? '/etc/ashare/airgap.nft';
  const chain = 'service_user';

  const seen = new Set<string>();
  const allowRules: string[] = [];
  for (const a of input.allow) {
    const v = net.isIP(a.address);
    if (v === 0 || a.address.includes('%')) throw new RangeError(`${JSON.stringify(a.address)} is not an IP address`);
    if (!Number.isInteger(a.port) || a.port < 1 || a.port > 65535) throw new RangeError(`${a.port} is not a port`);
    const address = a.address.toLowerCase();
    const key = formatEndpoint(address, a.port);
    if (seen.has(key)) continue;
    seen.add(key);
    const named = a.host.toLowerCase() === address ? key : `${formatEndpoint(a.host, a.port)} = ${key}`;
    allowRules.push(`\t\t${v === 4 ? 'ip' : 'ip6'} daddr ${address} tcp dport ${a.port} counter accept ${comment(`airgap.allow ${named}`)}`);
  }

  const [sm, sh, em, eh] = [window.startMin % 60, Math.floor(window.startMin / 60), window.endMin % 60, Math.floor(window.endMin / 60)];
  const names = [...new Set(input.allow.filter((a) => a.host.toLowerCase() !== a.address.toLowerCase()).map((a) => a.host))];
  const header = [
    '#!/usr/sbin/nft -f',
    `# ashare air gap: OS-level egress rules for ${who} (printed by \`ashare airgap rules\`; nothing is applied by it).`,
    '#',
    `# While table inet ${table} is loaded, the packets of ${who} go only to loopback, to the`,
    '# airgap.allow endpoints (TCP) and back to clients that connected in (the replies of their',
    '# connections: the dashboard can answer); every other outgoing packet of that user is rejected',
    '# and counted. Other users, and packets the kernel sends itself, are untouched.',
    '#',
    `# Apply when the window opens:   nft -f ${file}`,
    `# Remove when it closes:         nft delete table inet ${table}`,
    `# See what was refused:          nft list table inet ${table}   (the counters)`,
    '# Applying again replaces the table (it is deleted and re-created in one transaction).',
    '#',
    `# The window ${window.text} Asia/Shanghai, Mon–Fri (weekday exchange holidays get the rules too: stricter, harmless).`,
    "# root's crontab (the machine's time zone Asia/Shanghai, or CRON_TZ=Asia/Shanghai where cron has it):",
    `#   ${sm} ${sh} * * 1-5  /usr/sbin/nft -f ${file}`,
    `#   ${em} ${eh} * * 1-5  /usr/sbin/nft delete table inet ${table}`,
    '# or two systemd timers (OnCalendar names the zone), each starting a oneshot service that runs the line above:',
    `#   OnCalendar=Mon..Fri ${hhmm(window.startMin)}:00 Asia/Shanghai`,
    `#   OnCalendar=Mon..Fri ${hhmm(window.endMin)}:00 Asia/Shanghai`,
    '#',
    '# Defence in depth beside the in-process egress guard: the guard refuses inside the service',
    '# process before any packet exists (loopback included, but its own listeners) and journals the',
    '# caller; these rules also hold child processes, worker threads and native code, which the guard',
    '# does not see. Loopback is open here as a whole: keeping to the listed local ports is the guard\'s job.',
    ...(names.length > 0
      ? ['#', `# Host names were resolved when this file was printed (${names.join(', ')}):`, '# print it again when their addresses change.']
      : []),
    ...('user' in input ? ['#', `# nft looks the user name ${input.user} up when the file is applied: it must exist on this machine.`] : []),
  ];
  const body = [
    `table inet ${table}`,
    `delete table inet ${table}`,
    `table inet ${table} {`,
    '\tchain output {',
    '\t\ttype filter hook output priority filter; policy accept;',
    `\t\tmeta skuid ${match} counter jump ${chain} ${comment(`the air gap holds ${who}; other users pass`)}`,
    '\t}',
    '',
    `\tchain ${chain} {`,
    `\t\toifname "lo" counter accept ${comment('loopback')}`,
    `\t\tct direction reply ct state established,related counter accept ${comment('replies to clients that connected in (the dashboard)')}`,
    ...allowRules,
    `\t\tmeta l4proto tcp counter reject with tcp reset ${comment('any other TCP connection: refused')}`,
    `\t\tcounter reject with icmpx type admin-prohibited ${comment('any other packet (UDP, DNS, ICMP): refused')}`,
    '\t}',
    '}',
  ];
  return [...header, '', ...body, ''].join('\n');
}
