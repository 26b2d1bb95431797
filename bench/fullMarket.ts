/**
 * The full-market workloads of `npm run bench` (W1/W2/W3): whole-process runs of the CLI next to a
 * hand-written baseline (bench/handLoop.ts), each a child process timed by wall clock with its peak RSS
 * taken by the preload bench/peakRss.ts. Per workload:
 *   1. `ashare market generate --symbols N --days 1250 --seed 1 --start 2020-01-02` into a temp dir
 *      (bars with suspended days, plus .instruments.csv and .dividends.csv beside them);
 *   2. a backtest config: SMA 20/60 crossover, equal weight 1/N over all N symbols, next-open market
 *      orders, commission max(0.03%, 5 CNY), 1,000,000,000 CNY in one pool, every risk rule on with
 *      limits loose enough not to bind;
 *   3. the hand loop, `ashare backtest … --json` with a plain journal and with --key-file (encrypted);
 *   4. for W2 (or any workload with BENCH_REPLAY=1): replay --all, audit and journal verify on the plain journal.
 * Medians of BENCH_RUNS runs (default 1). Prints a table with ratios to the hand loop and the issue's goals.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url)); // dist/bench
const ROOT = resolve(HERE, '..', '..');
const CLI = join(ROOT, 'bin', 'ashare.js');
const HAND = join(HERE, 'handLoop.js');
const PRELOAD = join(HERE, 'peakRss.js');
const LAUNCHER_FLAGS = readFileSync(CLI, 'utf8').split('\n')[0]!.split(/\s+/).filter((a) => a.startsWith('--'));
const DAYS = 1_250;
const WORKLOADS = [['W1', 100], ['W2', 1_000], ['W3', 5_000]] as const;

interface Run { wall: number; rssKiB: number; code: number; stdout: string; stderr: string }
interface Side { wall: number; rssKiB: number; bytesPerBar: number; fills: number; events: number }
interface Row {
  name: string; n: number; bars: number; hand: { wall: number; rssKiB: number; trades: number };
  plain: Side; enc: Side; denials: string; checks: string[];
}

let dir = '';
let seq = 0;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = (kib: number) => `${fmt(kib * 1024 / 1e6)} MB`;

/** Runs `node --import peakRss.js ARGS` in the repository root; wall time from spawn to exit. */
async function timed(args: string[], ok: number[] = [0]): Promise<Run> {
  const rssFile = join(dir, `rss-${++seq}.txt`);
  const env: NodeJS.ProcessEnv = { ...process.env, ASHARE_BENCH_RSS_FILE: rssFile };
  delete env.ASHARE_JOURNAL_KEY_FILE; delete env.ASHARE_JOURNAL_PASSPHRASE; // only --key-file encrypts
  const out: Buffer[] = [], err: Buffer[] = [];
  const t0 = process.hrtime.bigint();
  // The CLI runs with the node flags of its launcher's shebang, as `ashare …` does.
  const flags = args[0] === CLI ? LAUNCHER_FLAGS : [];
  const child = spawn(process.execPath, [...flags, '--import', PRELOAD, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => err.push(b));
  const code = await new Promise<number>((res, rej) => { child.on('error', rej); child.on('close', (c, sig) => res(c ?? (sig ? 128 : 1))); });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const r: Run = { wall, code, rssKiB: existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : NaN, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
  if (!ok.includes(code)) {
    console.error(`bench: ${args.map((a) => a.replace(ROOT + '/', '')).join(' ')} exited ${code}\n${r.stderr}`);
    throw new Error(`child exited ${code}`);
  }
  return r;
}

function countRows(file: string): number {
  const fd = openSync(file, 'r'), b = Buffer.allocUnsafe(1 << 22);
  let lines = 0, n: number, last = 10;
  while ((n = readSync(fd, b, 0, b.length, null)) > 0) {
    for (let i = b.indexOf(10); i !== -1 && i < n; i = b.indexOf(10, i + 1)) lines++;
    last = b[n - 1]!;
  }
  closeSync(fd);
  return lines + (last === 10 ? 0 : 1) - 1; // minus the header
}

const configYaml = (base: string, n: number) => `name: ${base}
mode: backtest
market:
  source: csv
  bars: ${base}.csv
  instruments: ${base}.instruments.csv
  dividends: ${base}.dividends.csv
account:
  initialCash: 1000000000
strategy:
  name: sma-crossover
  params: {fast: 20, slow: 60}
portfolio:
  maxPositions: ${n}
  positionWeight: ${1 / n}
risk: ${base}.risk.yaml
execution:
  fill: next-open
  commissionRate: 0.0003
  minCommission: 5
  participation: 1
  slippage: none
journal:
  dir: journal
  durability: fast
`;

// Every rule on, limits loose enough not to bind (orderRate + cancelRate below the HFT thresholds, as the validator requires).
const riskYaml = (n: number) => `maxPositionPct: 0.99
maxPositions: ${n}
maxSectorPct: 0.99
priceCollarPct: 0.5
withinDailyBand: true
maxOrderNotionalCny: 1000000000
maxOrderQty: 100000000
dailyLossLimitPct: 0.99
maxDrawdownPct: 0.99
restrictedSymbols: []
allowSt: false
allowShort: false
duplicateWindowSeconds: 60
orderRate: {perSecond: 100, perDay: 9000}
cancelRate: {perSecond: 49, perDay: 900}
disclosureThresholdPct: 0.05
stops: {fixedPct: null, trailingPct: null, atrMultiple: null, atrPeriod: 14, takeProfitPct: null, maxHoldingDays: null}
ruleOrder: [killSwitch, restrictedList, stFilter, noShort, availability, orderSize, priceCollar, duplicate, orderRate, cancelRate, dailyLoss, maxDrawdown, positionSize, positionCount, sectorConcentration, disclosure]
disabledRules: []
`;

const sizeOf = (f: string) => (existsSync(f) ? statSync(f).size : 0);
function removeJournal(j: string): void {
  for (const f of [j, `${j}-wal`, `${j}-shm`, `${j}.lock`, j.replace(/\.sqlite$/, '.report')]) rmSync(f, { recursive: true, force: true });
}

async function backtests(cfg: string, j: string, bars: number, runs: number, extra: string[]): Promise<Side> {
  const walls: number[] = [], rss: number[] = [];
  let last: { events: number; metrics: { trades: number }; symbols: number; days: number } | undefined, bytes = 0;
  for (let i = 0; i < runs; i++) {
    removeJournal(j);
    const r = await timed([CLI, 'backtest', '--config', cfg, '--journal', j, '--json', ...extra]);
    walls.push(r.wall); rss.push(r.rssKiB);
    last = JSON.parse(r.stdout.slice(r.stdout.indexOf('{')));
    bytes = sizeOf(j) + sizeOf(`${j}-wal`);
  }
  return { wall: median(walls), rssKiB: median(rss), bytesPerBar: bytes / bars, fills: last!.metrics.trades, events: last!.events };
}

/** OrderDenied by rule/reason in a journal (untimed, `journal inspect`). */
async function denials(j: string): Promise<string> {
  const r = await timed([CLI, 'journal', 'inspect', j, '--type', 'OrderDenied', '--json']);
  const by = new Map<string, number>();
  for (const e of (JSON.parse(r.stdout) as { selected: { data: { rule: string; reason: string } }[] }).selected) {
    const k = `${e.data.rule}/${e.data.reason}`; by.set(k, (by.get(k) ?? 0) + 1);
  }
  return by.size === 0 ? 'none' : [...by].map(([k, v]) => `${k} ${fmt(v)}`).join(', ');
}

/** replay --all, audit and journal verify on the plain journal, as ratios to the plain backtest. */
async function checks(j: string, backtestWall: number, runs: number): Promise<string[]> {
  const lines: string[] = [];
  const each = [
    ['replay --all', ['replay', '--journal', j, '--all', '--json'], 1.5],
    ['audit', ['audit', '--journal', j, '--json'], 1.5],
    ['journal verify', ['journal', 'verify', j, '--json'], null],
  ] as const;
  for (const [label, args, goal] of each) {
    const rs: Run[] = [];
    for (let i = 0; i < runs; i++) rs.push(await timed([CLI, ...args], [0, 1]));
    const wall = median(rs.map((r) => r.wall)), code = rs[rs.length - 1]!.code;
    const verdict = goal === null ? `goal ≤ 1 s: ${wall <= 1 ? 'met' : 'not met'}` : `goal ≤ ${goal}×: ${wall / backtestWall <= goal ? 'met' : 'not met'}`;
    lines.push(`  ${label.padEnd(15)} ${wall.toFixed(2)} s (${(wall / backtestWall).toFixed(2)}× the plain backtest, ${mb(median(rs.map((r) => r.rssKiB)))}), exit ${code}${code === 0 ? '' : ' (CHECK FAILED)'}; ${verdict}`);
    if (code !== 0) lines.push(`    ${rs[rs.length - 1]!.stdout.slice(0, 400).replace(/\n/g, ' ')}${rs[rs.length - 1]!.stderr.slice(0, 400)}`);
  }
  return lines;
}

async function workload(name: string, n: number, runs: number): Promise<Row> {
  const base = name.toLowerCase(), csv = join(dir, `${base}.csv`), cfg = join(dir, `${base}.yaml`), key = join(dir, 'bench.key');
  const g = await timed([CLI, 'market', 'generate', '--symbols', String(n), '--days', String(DAYS), '--seed', '1', '--start', '2020-01-02', '--out', csv]);
  const bars = countRows(csv);
  console.log(`${name}: generated ${fmt(bars)} bars (${n} symbols × ${DAYS} days, suspended days missing) in ${g.wall.toFixed(1)} s`);
  writeFileSync(cfg, configYaml(base, n));
  writeFileSync(join(dir, `${base}.risk.yaml`), riskYaml(n));
  const hw: number[] = [], hr: number[] = [];
  let trades = 0;
  for (let i = 0; i < runs; i++) {
    const r = await timed([HAND, csv, String(n)]);
    hw.push(r.wall); hr.push(r.rssKiB);
    trades = (JSON.parse(r.stdout) as { trades: number }).trades;
  }
  const plainJ = join(dir, `${base}-plain.sqlite`), encJ = join(dir, `${base}-enc.sqlite`);
  const plain = await backtests(cfg, plainJ, bars, runs, []);
  const enc = await backtests(cfg, encJ, bars, runs, ['--key-file', key]);
  removeJournal(encJ);
  const row: Row = { name, n, bars, hand: { wall: median(hw), rssKiB: median(hr), trades }, plain, enc, denials: await denials(plainJ), checks: [] };
  if (name === 'W2' || process.env.BENCH_REPLAY === '1') row.checks = await checks(plainJ, plain.wall, runs);
  removeJournal(plainJ);
  for (const f of [csv, `${join(dir, base)}.instruments.csv`, `${join(dir, base)}.dividends.csv`]) rmSync(f, { force: true });
  return row;
}

function table(rows: Row[]): void {
  const side = (s: Side, loop: number) => `${s.wall.toFixed(2)} s (${(s.wall / loop).toFixed(1)}×, ${mb(s.rssKiB)}, ${s.bytesPerBar.toFixed(0)} B)`;
  const cols = [10, 12, 22, 40];
  const line = (cells: string[]) => cells.map((c, i) => (i < cols.length ? c.padEnd(cols[i]!) : c)).join(' ').trimEnd();
  console.log();
  console.log(line(['workload', 'bars', 'hand loop (RSS)', 'ours plain (×loop, RSS, B/bar)', 'ours encrypted (×loop, RSS, B/bar)']));
  for (const r of rows) {
    console.log(line([`${r.name} ${r.n}`, fmt(r.bars), `${r.hand.wall.toFixed(2)} s (${mb(r.hand.rssKiB)})`, side(r.plain, r.hand.wall), side(r.enc, r.hand.wall)]));
  }
  console.log();
  for (const r of rows) {
    console.log(`${r.name} fills: ours plain ${fmt(r.plain.fills)}, ours encrypted ${fmt(r.enc.fills)} (${fmt(r.plain.events)} journal events) | hand loop trades ${fmt(r.hand.trades)} | denials in the plain journal: ${r.denials}`);
    if (r.checks.length) { console.log(`${r.name} audit tools on the plain journal:`); for (const c of r.checks) console.log(c); }
  }
  const get = (w: string) => rows.find((r) => r.name === w);
  const verdict = (w: string, ok: (r: Row) => boolean, what: (r: Row) => string) => {
    const r = get(w);
    return r ? `${what(r)}: ${ok(r) ? 'met' : 'not met'}` : 'not measured';
  };
  const maxRss = (r: Row) => Math.max(r.plain.rssKiB, r.enc.rssKiB) * 1024;
  const maxBpb = (r: Row) => Math.max(r.plain.bytesPerBar, r.enc.bytesPerBar);
  console.log('\ngoals (issue):');
  console.log(`  W3 encrypted ≤ 5.6× loop     ${verdict('W3', (r) => r.enc.wall / r.hand.wall <= 5.6, (r) => `${(r.enc.wall / r.hand.wall).toFixed(1)}×`)}`);
  console.log(`  W2 encrypted ≤ 8× loop       ${verdict('W2', (r) => r.enc.wall / r.hand.wall <= 8, (r) => `${(r.enc.wall / r.hand.wall).toFixed(1)}×`)}`);
  console.log(`  W3 peak RSS ≤ 1 GB           ${verdict('W3', (r) => maxRss(r) <= 1e9, (r) => `${(maxRss(r) / 1e9).toFixed(2)} GB`)}`);
  console.log(`  W3 journal ≤ 40 B/bar        ${verdict('W3', (r) => maxBpb(r) <= 40, (r) => `${maxBpb(r).toFixed(0)} B`)}`);
}

/** Runs the selected full-market workloads (W1, W2, W3) and prints the table. */
export async function benchFullMarket(selected: readonly string[]): Promise<void> {
  const chosen = WORKLOADS.filter(([w]) => selected.includes(w));
  if (chosen.length === 0) return;
  const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 1) || 1);
  dir = mkdtempSync(join(tmpdir(), 'ashare-fullmarket-'));
  writeFileSync(join(dir, 'bench.key'), 'ab'.repeat(32) + '\n', { mode: 0o600 });
  console.log(`full market: whole-process CLI runs vs the hand loop, ${runs === 1 ? '1 run each' : `median of ${runs} runs`}, node ${process.version}, files in ${dir}`);
  try {
    const rows: Row[] = [];
    for (const [name, n] of chosen) rows.push(await workload(name, n, runs));
    table(rows);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
