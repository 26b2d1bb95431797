import { describe, expect, it } from 'vitest';
import { nftRuleset } from '../../../src/app/airgap/nftRules.js';

/** The ruleset without its comment header: the part nft reads. */
const body = (text: string): string => text.slice(text.indexOf('\ntable ') + 1);
const header = (text: string): string => text.slice(0, text.indexOf('\ntable '));

describe('nftRuleset', () => {
  it('prints the exact ruleset of a small case: uid, one IPv4 broker, the default table and window', () => {
    const text = nftRuleset({ uid: 1001, allow: [{ address: '10.0.0.5', port: 7709, host: '10.0.0.5' }] });
    expect(text).toBe(`#!/usr/sbin/nft -f
# ashare air gap: OS-level egress rules for uid 1001 (printed by \`ashare airgap rules\`; nothing is applied by it).
#
# While table inet ashare_airgap is loaded, the packets of uid 1001 go only to loopback, to the
# airgap.allow endpoints (TCP) and back to clients that connected in (the replies of their
# connections: the dashboard can answer); every other outgoing packet of that user is rejected
# and counted. Other users, and packets the kernel sends itself, are untouched.
#
# Apply when the window opens:   nft -f /etc/ashare/airgap.nft
# Remove when it closes:         nft delete table inet ashare_airgap
# See what was refused:          nft list table inet ashare_airgap   (the counters)
# Applying again replaces the table (it is deleted and re-created in one transaction).
#
# The window 09:00-15:30 Asia/Shanghai, Mon–Fri (weekday exchange holidays get the rules too: stricter, harmless).
# root's crontab (the machine's time zone Asia/Shanghai, or CRON_TZ=Asia/Shanghai where cron has it):
#   0 9 * * 1-5  /usr/sbin/nft -f /etc/ashare/airgap.nft
#   30 15 * * 1-5  /usr/sbin/nft delete table inet ashare_airgap
# or two systemd timers (OnCalendar names the zone), each starting a oneshot service that runs the line above:
#   OnCalendar=Mon..Fri 09:00:00 Asia/Shanghai
#   OnCalendar=Mon..Fri 15:30:00 Asia/Shanghai
#
# Defence in depth beside the in-process egress guard: the guard refuses inside the service
# process before any packet exists (loopback included, but its own listeners) and journals the
# caller; these rules also hold child processes, worker threads and native code, which the guard
# does not see. Loopback is open here as a whole: keeping to the listed local ports is the guard's job.

table inet ashare_airgap
delete table inet ashare_airgap
table inet ashare_airgap {
\tchain output {
\t\ttype filter hook output priority filter; policy accept;
\t\tmeta skuid 1001 counter jump service_user comment "the air gap holds uid 1001; other users pass"
\t}

\tchain service_user {
\t\toifname "lo" counter accept comment "loopback"
\t\tct direction reply ct state established,related counter accept comment "replies to clients that connected in (the dashboard)"
\t\tip daddr 10.0.0.5 tcp dport 7709 counter accept comment "airgap.allow 10.0.0.5:7709"
\t\tmeta l4proto tcp counter reject with tcp reset comment "any other TCP connection: refused"
\t\tcounter reject with icmpx type admin-prohibited comment "any other packet (UDP, DNS, ICMP): refused"
\t}
}
`);
  });

  it('a user name is quoted for nft to look up; the table name, window and file are the ones given', () => {
    const text = nftRuleset({ user: 'ashare', table: 'desk_gap', allow: [], window: '09:15-15:05', file: '/srv/ashare/gap.nft' });
    expect(text).toContain('\t\tmeta skuid "ashare" counter jump service_user comment "the air gap holds user ashare; other users pass"\n');
    expect(text).toContain('# nft looks the user name ashare up when the file is applied: it must exist on this machine.\n');
    expect(body(text).startsWith('table inet desk_gap\ndelete table inet desk_gap\ntable inet desk_gap {\n')).toBe(true);
    expect(header(text)).toContain('#   15 9 * * 1-5  /usr/sbin/nft -f /srv/ashare/gap.nft\n#   5 15 * * 1-5  /usr/sbin/nft delete table inet desk_gap\n');
    expect(header(text)).toContain('#   OnCalendar=Mon..Fri 09:15:00 Asia/Shanghai\n#   OnCalendar=Mon..Fri 15:05:00 Asia/Shanghai\n');
    expect(header(text)).toContain('# Remove when it closes:         nft delete table inet desk_gap\n');
    expect(header(text).split('\n').filter(Boolean).every((l) => l.startsWith('#'))).toBe(true);
  });

  it('IPv6 addresses take ip6 daddr (lower-cased); a name resolved to several addresses is one rule each, named in the comment', () => {
    const text = nftRuleset({
      uid: 0,
      allow: [
        { address: '203.0.113.9', port: 443, host: 'broker.example.com' },
        { address: '2001:DB8::9', port: 443, host: 'broker.example.com' },
        { address: '::1', port: 8443, host: '::1' },
      ],
    });
    const rules = body(text).split('\n').filter((l) => l.includes('daddr'));
    expect(rules).toEqual([
      '\t\tip daddr 203.0.113.9 tcp dport 443 counter accept comment "airgap.allow broker.example.com:443 = 203.0.113.9:443"',
      '\t\tip6 daddr 2001:db8::9 tcp dport 443 counter accept comment "airgap.allow broker.example.com:443 = [2001:db8::9]:443"',
      '\t\tip6 daddr ::1 tcp dport 8443 counter accept comment "airgap.allow [::1]:8443"',
    ]);
    expect(header(text)).toContain('# Host names were resolved when this file was printed (broker.example.com):\n');
  });

  it('an empty allow list leaves loopback and replies, then the rejects; the same address and port twice is one rule', () => {
    const empty = body(nftRuleset({ uid: 1001, allow: [] }));
    const lines = empty.split('\n');
    const chain = lines.slice(lines.indexOf('\tchain service_user {') + 1, lines.indexOf('\t}', lines.indexOf('\tchain service_user {')));
    expect(chain.map((l) => l.trim().split(' comment ')[0])).toEqual([
      'oifname "lo" counter accept',
      'ct direction reply ct state established,related counter accept',
      'meta l4proto tcp counter reject with tcp reset',
      'counter reject with icmpx type admin-prohibited',
    ]);
    expect(nftRuleset({ uid: 1001, allow: [] })).not.toContain('Host names');
    const twice = nftRuleset({ uid: 1001, allow: [{ address: '10.0.0.5', port: 1, host: 'a.example' }, { address: '10.0.0.5', port: 1, host: 'b.example' }] });
    expect(twice.split('\n').filter((l) => l.includes('daddr'))).toHaveLength(1);
  });

  it('every rule has a counter and a comment', () => {
    const text = nftRuleset({ user: 'svc', allow: [{ address: '10.0.0.5', port: 7709, host: 'x.example' }, { address: 'fe80::1', port: 7709, host: 'x.example' }] });
    const rules = body(text).split('\n').filter((l) => /^\t\t(?!type )\S/.test(l));
    expect(rules.length).toBe(7);
    for (const r of rules) expect(r).toMatch(/(^\t\t| )counter .* comment "[^"]{1,128}"$/);
  });

  it('refuses input nft would misread: a bad table, user, uid, address, port or window', () => {
    const ok = { uid: 1, allow: [] };
    expect(() => nftRuleset({ ...ok, table: 'a b' })).toThrow(RangeError);
    expect(() => nftRuleset({ ...ok, table: 'x;flush ruleset' })).toThrow(RangeError);
    expect(() => nftRuleset({ user: 'bob"; flush ruleset', allow: [] })).toThrow(RangeError);
    expect(() => nftRuleset({ uid: -1, allow: [] })).toThrow(RangeError);
    expect(() => nftRuleset({ ...ok, allow: [{ address: 'broker.example.com', port: 1, host: 'broker.example.com' }] })).toThrow(RangeError);
    expect(() => nftRuleset({ ...ok, allow: [{ address: 'fe80::1%eth0', port: 1, host: 'x' }] })).toThrow(RangeError);
    expect(() => nftRuleset({ ...ok, allow: [{ address: '10.0.0.1', port: 0, host: 'x' }] })).toThrow(RangeError);
    expect(() => nftRuleset({ ...ok, window: '15:30-09:00' })).toThrow(RangeError);
  });

  it('a comment never carries a double quote or more than 128 characters', () => {
    const host = `${'a'.repeat(120)}.example"`;
    const text = nftRuleset({ uid: 1, allow: [{ address: '10.0.0.5', port: 443, host }] });
    const c = /comment "([^"]*)"$/.exec(text.split('\n').find((l) => l.includes('daddr'))!)![1]!;
    expect(c.length).toBe(128);
    expect(c).not.toContain('"');
  });
});
