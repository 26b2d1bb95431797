import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ashare, repo } from '../service/serviceHarness.js';

// `ashare airgap rules` end to end through the compiled CLI (`npm test` builds dist/ first), then
// its ruleset applied for real: two Linux network namespaces joined by a veth pair, two TCP servers
// in one, the rules loaded in the other, and connections tried from there. Needs root, ip and nft;
// CI runs as root and sets ASHARE_REQUIRE_NETNS=1, so a missing piece fails there instead of skipping.

const work = mkdtempSync(join(tmpdir(), 'ashare-airgap-rules-'));
const paperYaml = readFileSync(join(repo, 'config', 'paper.yaml'), 'utf8').replace('risk: risk.yaml', `risk: ${join(repo, 'config', 'risk.yaml')}`);

/** A run config with `airgapYaml` appended (none when null). */
function config(name: string, airgapYaml: string | null): string {
  const p = join(work, `${name}.yaml`);
  writeFileSync(p, airgapYaml === null ? paperYaml : `${paperYaml}\nairgap:\n${airgapYaml}`);
  return p;
}

describe('ashare airgap rules (the CLI)', () => {
  beforeAll(() => {
    expect(existsSync(join(repo, 'dist', 'src', 'app', 'cli', 'main.js')), 'dist/ is missing: run npx tsc -p tsconfig.build.json').toBe(true);
  });

  it('a config without airgap: exits 3 saying so, printing nothing', () => {
    const r = ashare(work, ['airgap', 'rules', '--config', config('none', null)]);
    expect(r.code).toBe(3);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^ashare airgap: .*none\.yaml has no airgap: section/);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });

  it('without enabled: true the rules are printed with a warning; a name is resolved now (with a warning), each address a rule naming it', () => {
    const r = ashare(work, ['airgap', 'rules', '--config', config('off', '  window: "09:15-15:00"\n  allow: ["localhost:8443", "[::1]:9443", "192.0.2.7:7709"]\n'), '--user', 'ashare', '--table', 'inet desk_gap']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/warning: airgap\.enabled is not true/);
    expect(r.err).toMatch(/warning: host names in airgap\.allow are resolved now/);
    expect(r.out.startsWith('#!/usr/sbin/nft -f\n')).toBe(true);
    expect(r.out).toContain('#   15 9 * * 1-5  /usr/sbin/nft -f /etc/ashare/airgap.nft\n#   0 15 * * 1-5  /usr/sbin/nft delete table inet desk_gap\n');
    expect(r.out).toContain('meta skuid "ashare" counter jump service_user');
    expect(r.out).toMatch(/\t\tip daddr 127\.0\.0\.1 tcp dport 8443 counter accept comment "airgap\.allow localhost:8443 = 127\.0\.0\.1:8443"\n/);
    expect(r.out).toContain('\t\tip6 daddr ::1 tcp dport 9443 counter accept comment "airgap.allow [::1]:9443"\n');
    expect(r.out).toContain('\t\tip daddr 192.0.2.7 tcp dport 7709 counter accept comment "airgap.allow 192.0.2.7:7709"\n');
  });

  it('a name that does not resolve exits 3 naming it; a bad --table or --user is a usage error', () => {
    const r = ashare(work, ['airgap', 'rules', '--config', config('bad', '  enabled: true\n  allow: ["broker.does-not-exist.invalid:7709"]\n')]);
    expect(r.code).toBe(3);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/airgap\.allow broker\.does-not-exist\.invalid:7709: the name broker\.does-not-exist\.invalid does not resolve/);
    const ok = config('ok', '  enabled: true\n  allow: []\n');
    expect(ashare(work, ['airgap', 'rules', '--config', ok, '--table', 'x;flush ruleset']).code).toBe(2);
    expect(ashare(work, ['airgap', 'rules', '--config', ok, '--user', 'bob"; flush']).code).toBe(2);
    const empty = ashare(work, ['airgap', 'rules', '--config', ok, '--user', '1001']);
    expect(empty.code).toBe(0);
    expect(empty.err).toMatch(/warning: airgap\.allow is empty/);
    expect(empty.out).toContain('meta skuid 1001 counter jump service_user');
  });
});

// ---------------------------------------------------------------------------------------------
// In network namespaces.

const requireNetns = process.env['ASHARE_REQUIRE_NETNS'] === '1';
const run = (cmd: string, args: readonly string[]) => spawnSync(cmd, args, { encoding: 'utf8', timeout: 10_000 });
const has = (cmd: string): boolean => run('sh', ['-c', `command -v ${cmd}`]).status === 0;

/** Why the namespace test cannot run here, or null when it can. */
function netnsUnavailable(): string | null {
  if (process.platform !== 'linux') return 'network namespaces are Linux only';
  if (process.getuid?.() !== 0) return 'not root (ip netns and nft need root)';
  for (const c of ['ip', 'nft']) if (!has(c)) return `${c} is not installed (apt-get install ${c === 'ip' ? 'iproute2' : 'nftables'})`;
  // Everything the test does once, in a namespace of its own: a kernel without veth or nf_tables skips here, not in beforeAll.
  const probe = `agprobe${process.pid}`;
  const add = run('ip', ['netns', 'add', probe]);
  if (add.status !== 0) return `ip netns add failed: ${(add.stderr || add.error?.message || '').trim()}`;
  try {
    const veth = run('ip', ['netns', 'exec', probe, 'ip', 'link', 'add', 'vprobe0', 'type', 'veth', 'peer', 'name', 'vprobe1']);
    if (veth.status !== 0) return `a veth pair cannot be made: ${veth.stderr.trim()}`;
    const nft = run('ip', ['netns', 'exec', probe, 'nft', 'add', 'table', 'inet', 'agprobe']);
    if (nft.status !== 0) return `nft does not work in a namespace: ${nft.stderr.trim()}`;
    return null;
  } finally {
    run('ip', ['netns', 'del', probe]);
  }
}

const unavailable = netnsUnavailable();
if (unavailable && requireNetns) throw new Error(`the network-namespace test is required (ASHARE_REQUIRE_NETNS=1) but cannot run: ${unavailable}`);
if (unavailable) console.log(`skipping the nftables network-namespace test: ${unavailable}`);

const SRV = `agsrv${process.pid}`;
const CLI = `agcli${process.pid}`;
const NET = `10.231.${process.pid % 250}`;
const SERVER = `${NET}.1`;
const ALLOWED = 17001;
const OTHER = 17002;
const TABLE = 'ashare_airgap';

/** Two servers on SERVER (one per port) saying `hello PORT`; each accepted connection is a line `accept PORT` on stdout. */
const serverScript = `
const net = require('node:net');
let up = 0;
for (const port of [${ALLOWED}, ${OTHER}]) {
  net.createServer((s) => { console.log('accept ' + port); s.end('hello ' + port + '\\n'); })
    .listen(port, '${SERVER}', () => { if (++up === 2) console.log('ready'); });
}`;

/**
 * Tries each target (and a server of its own on loopback) with a 2 s limit, as `uid` when given;
 * prints [{target, ok, data?, code?}] as JSON.
 */
const probeScript = `
const net = require('node:net');
const [uid, ...targets] = JSON.parse(process.argv[1]);
if (uid !== null) { process.setgid(uid); process.setuid(uid); }
const attempt = (host, port) => new Promise((res) => {
  const target = host + ':' + port;
  let data = '';
  const s = net.connect({ host, port });
  const t = setTimeout(() => { s.destroy(); res({ target, ok: false, code: 'TIMEOUT' }); }, 2000);
  s.on('data', (b) => { data += b; });
  s.on('end', () => { clearTimeout(t); res({ target, ok: true, data: data.trim() }); });
  s.on('error', (e) => { clearTimeout(t); res({ target, ok: false, code: e.code }); });
});
const lo = net.createServer((s) => s.end('hello loopback\\n')).listen(0, '127.0.0.1', async () => {
  const out = [];
  for (const t of targets) out.push(await attempt(t[0], t[1]));
  out.push(await attempt('127.0.0.1', lo.address().port));
  lo.close();
  console.log(JSON.stringify(out));
});`;

interface Probe { target: string; ok: boolean; data?: string; code?: string }

describe.skipIf(unavailable !== null)('the nftables ruleset in network namespaces: only the allowed endpoint answers', () => {
  let server: ChildProcess | null = null;
  let serverLog = '';
  const rulesFile = join(work, 'airgap.nft');

  const ip = (...args: string[]) => {
    const r = run('ip', args);
    if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr.trim()}`);
  };
  const inCli = (cmd: string, ...args: string[]) => run('ip', ['netns', 'exec', CLI, cmd, ...args]);
  const probe = (uid: number | null = null): Probe[] => {
    const r = inCli(process.execPath, '-e', probeScript, JSON.stringify([uid, [SERVER, ALLOWED], [SERVER, OTHER]]));
    if (r.status !== 0) throw new Error(`probe failed: ${r.stderr}`);
    return JSON.parse(r.stdout) as Probe[];
  };
  const accepted = (port: number) => serverLog.split('\n').filter((l) => l === `accept ${port}`).length;
  /**
   * The servers' accept counts once their log has caught up: the server writes `accept` before it
   * answers, and a probe returns only after its answers, so every line is in the pipe by then.
   */
  const acceptedSoon = async (expected: readonly [number, number]): Promise<[number, number]> => {
    const until = Date.now() + 2_000;
    for (;;) {
      await new Promise((r) => setTimeout(r, 50));
      const now: [number, number] = [accepted(ALLOWED), accepted(OTHER)];
      if ((now[0] === expected[0] && now[1] === expected[1]) || Date.now() > until) return now;
    }
  };

  beforeAll(async () => {
    expect(existsSync(join(repo, 'dist', 'src', 'app', 'cli', 'main.js')), 'dist/ is missing: run npx tsc -p tsconfig.build.json').toBe(true);
    ip('netns', 'add', SRV);
    ip('netns', 'add', CLI);
    // The pair is made inside SRV with its peer sent straight to CLI: no name in the host's namespace to collide.
    ip('netns', 'exec', SRV, 'ip', 'link', 'add', 'vsrv', 'type', 'veth', 'peer', 'name', 'vcli', 'netns', CLI);
    ip('netns', 'exec', SRV, 'ip', 'addr', 'add', `${SERVER}/24`, 'dev', 'vsrv');
    ip('netns', 'exec', CLI, 'ip', 'addr', 'add', `${NET}.2/24`, 'dev', 'vcli');
    for (const [ns, dev] of [[SRV, 'vsrv'], [CLI, 'vcli']] as const) {
      ip('netns', 'exec', ns, 'ip', 'link', 'set', dev, 'up');
      ip('netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up');
    }
    server = spawn('ip', ['netns', 'exec', SRV, process.execPath, '-e', serverScript], { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((res, rej) => {
      const t = setTimeout(() => rej(new Error(`the servers did not start: ${serverLog}`)), 10_000);
      server!.stdout!.on('data', (b: Buffer) => {
        serverLog += b.toString();
        if (serverLog.includes('ready')) { clearTimeout(t); res(); }
      });
      server!.stderr!.on('data', (b: Buffer) => { serverLog += b.toString(); });
      server!.on('exit', (code) => { clearTimeout(t); rej(new Error(`the server process exited (${code}): ${serverLog}`)); });
    });
    const cfg = config('netns', `  enabled: true\n  window: "09:00-15:30"\n  allow: ["${SERVER}:${ALLOWED}"]\n`);
    const r = ashare(work, ['airgap', 'rules', '--config', cfg, '--user', 'root']);
    if (r.code !== 0) throw new Error(`ashare airgap rules failed (${r.code}): ${r.err}`);
    writeFileSync(rulesFile, r.out);
  });

  afterAll(() => {
    server?.kill('SIGKILL');
    for (const ns of [CLI, SRV]) run('ip', ['netns', 'del', ns]); // the veth pair goes with them
  });

  it('before the rules both servers answer; with them only the allowed one does (the other refused at once, never reached), loopback still works, other users pass, and deleting the table restores both', async () => {
    const before = probe();
    expect(before).toEqual([
      { target: `${SERVER}:${ALLOWED}`, ok: true, data: `hello ${ALLOWED}` },
      { target: `${SERVER}:${OTHER}`, ok: true, data: `hello ${OTHER}` },
      { target: expect.stringMatching(/^127\.0\.0\.1:\d+$/), ok: true, data: 'hello loopback' },
    ]);
    expect(await acceptedSoon([1, 1])).toEqual([1, 1]);

    // Applied twice: the second load replaces the table rather than stacking a second copy.
    for (let i = 0; i < 2; i++) {
      const applied = inCli('nft', '-f', rulesFile);
      expect(applied.status, applied.stderr).toBe(0);
    }
    const listed = inCli('nft', 'list', 'table', 'inet', TABLE).stdout;
    expect(listed.match(/jump service_user/g)).toHaveLength(1);

    const armed = probe();
    expect(armed).toEqual([
      { target: `${SERVER}:${ALLOWED}`, ok: true, data: `hello ${ALLOWED}` },
      { target: `${SERVER}:${OTHER}`, ok: false, code: 'ECONNREFUSED' }, // a reset at once, not the probe's 2 s timeout
      { target: expect.stringMatching(/^127\.0\.0\.1:\d+$/), ok: true, data: 'hello loopback' },
    ]);
    expect(await acceptedSoon([2, 1])).toEqual([2, 1]); // the refused SYN never reached the server
    const counters = inCli('nft', 'list', 'table', 'inet', TABLE).stdout;
    expect(counters).toMatch(/reject with tcp reset comment "any other TCP connection: refused"/);
    expect(Number(/counter packets (\d+) bytes \d+ reject with tcp reset/.exec(counters)?.[1])).toBeGreaterThanOrEqual(1);

    // The rules hold root (--user root); another user of the same namespace is untouched.
    expect(probe(65534).map((p) => p.ok)).toEqual([true, true, true]);
    expect(await acceptedSoon([3, 2])).toEqual([3, 2]);

    const deleted = inCli('nft', 'delete', 'table', 'inet', TABLE);
    expect(deleted.status, deleted.stderr).toBe(0);
    expect(probe().map((p) => p.ok)).toEqual([true, true, true]);
    expect(await acceptedSoon([4, 3])).toEqual([4, 3]);
  });
});
