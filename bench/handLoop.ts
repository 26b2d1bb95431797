/**
 * The hand-written baseline of the full-market bench (bench/fullMarket.ts), run as its own process:
 *   node dist/bench/handLoop.js FILE.csv N_SYMBOLS
 * It computes the bench's strategy with nothing but typed arrays and one pass over the days:
 *   - reads the canonical bar CSV (symbol,date,open,high,low,close,…) in chunks, parses open and close
 *     to integer fen into Int32Arrays indexed day × symbol (0 = no row = suspended that day);
 *   - per symbol, incremental SMA20/SMA60 of the raw close over the symbol's own bars (exact integer
 *     sums compared as sumFast × 60 vs sumSlow × 20, as src/domain/strategy/smaCrossover.ts does);
 *     a golden cross of a symbol not held is a buy, a death cross of a symbol held a sell;
 *   - orders decided after day d's close execute at day d+1's open, sells first, then buys of
 *     floor((equity at d's close / N) / open / 100) × 100 shares if cash covers notional + commission;
 *     commission max(notional × 0.03%, 5 CNY); one cash pool. An order whose symbol is suspended on
 *     day d+1 is dropped (not kept pending).
 * No lots beyond 100 shares, price limits, T+1 checks, risk rules, dividends or journal: it is the floor.
 * Prints one JSON line: {symbols, days, bars, trades, finalEquity, parseMs, loopMs}.
 */
import { closeSync, openSync, readSync } from 'node:fs';

const [file, nArg] = process.argv.slice(2);
const N = Number(nArg);
if (!file || !Number.isInteger(N) || N < 1) {
  console.error('usage: node dist/bench/handLoop.js FILE.csv N_SYMBOLS');
  process.exit(2);
}
const FAST = 20, SLOW = 60, LOT = 100, RATE = 0.0003, MIN_FEE_FEN = 500, INITIAL_CASH_FEN = 1_000_000_000 * 100;
const t0 = process.hrtime.bigint();

// ---- parse ---------------------------------------------------------------------------------------
const symIdx = new Map<number, number>(); // "DDDDDD.XX" as digits × 65536 + suffix bytes → symbol index
const dayIdx = new Map<number, number>(); // yyyymmdd → day index (first appearance)
const dayKeys: number[] = [];
let cap = 2048;
let open = new Int32Array(cap * N), close = new Int32Array(cap * N);
let bars = 0, lastDk = -1, lastDi = -1, p = 0;

function price(b: Buffer): number { // "12.34" → 1234 fen; advances p past the field and its comma
  let v = 0, c = b[p]!, frac = -1;
  while (c !== 44 && c !== 10 && c !== 13) {
    if (c === 46) frac = 0;
    else { v = v * 10 + (c - 48); if (frac >= 0) frac++; }
    c = b[++p]!;
  }
  p++;
  if (frac > 2) throw new Error(`price with more than 2 decimals at row ${bars + 2}`);
  return frac <= 0 ? v * 100 : frac === 1 ? v * 10 : v;
}
function skip(b: Buffer): void { while (b[p] !== 44) p++; p++; }

function row(b: Buffer, s: number): void {
  if (b[s + 6] !== 46 || b[s + 9] !== 44) throw new Error(`unexpected symbol format at row ${bars + 2}`);
  let code = 0;
  for (let i = 0; i < 6; i++) code = code * 10 + (b[s + i]! - 48);
  const sk = code * 65536 + b[s + 7]! * 256 + b[s + 8]!;
  let si = symIdx.get(sk);
  if (si === undefined) {
    si = symIdx.size;
    if (si >= N) throw new Error(`more than ${N} symbols in ${file}`);
    symIdx.set(sk, si);
  }
  const d = s + 10; // YYYY-MM-DD
  const dk = ((b[d]! - 48) * 1000 + (b[d + 1]! - 48) * 100 + (b[d + 2]! - 48) * 10 + (b[d + 3]! - 48)) * 10000
    + ((b[d + 5]! - 48) * 10 + (b[d + 6]! - 48)) * 100 + (b[d + 8]! - 48) * 10 + (b[d + 9]! - 48);
  if (dk !== lastDk) {
    let di = dayIdx.get(dk);
    if (di === undefined) {
      di = dayKeys.length;
      dayKeys.push(dk);
      dayIdx.set(dk, di);
      if (di >= cap) { // grow: day-major layout, so a copy keeps every index
        cap *= 2;
        const o2 = new Int32Array(cap * N), c2 = new Int32Array(cap * N);
        o2.set(open); c2.set(close); open = o2; close = c2;
      }
    }
    lastDk = dk; lastDi = di;
  }
  p = d + 11;
  const o = price(b);
  skip(b); skip(b); // high, low
  const c = price(b);
  const k = lastDi * N + si;
  open[k] = o; close[k] = c;
  bars++;
}

const fd = openSync(file, 'r');
const buf = Buffer.allocUnsafe(1 << 22);
let filled = 0, header = true, eof = false;
while (!eof) {
  const n = readSync(fd, buf, filled, buf.length - filled, null);
  if (n === 0) { eof = true; if (filled > 0 && !header) { buf[filled++] = 10; } }
  filled += n;
  let s = 0, nl = buf.indexOf(10, s);
  while (nl !== -1 && nl < filled) {
    if (header) header = false;
    else if (nl > s + 1) row(buf, s);
    s = nl + 1;
    nl = buf.indexOf(10, s);
  }
  if (s === 0 && filled === buf.length) throw new Error('line longer than the read buffer');
  buf.copyWithin(0, s, filled);
  filled -= s;
}
closeSync(fd);
const D = dayKeys.length;
if (dayKeys.some((k, i) => i > 0 && k < dayKeys[i - 1]!)) { // rows not in date order: put the days in order
  const order = dayKeys.map((_, i) => i).sort((a, b) => dayKeys[a]! - dayKeys[b]!);
  const o2 = new Int32Array(D * N), c2 = new Int32Array(D * N);
  order.forEach((from, to) => { o2.set(open.subarray(from * N, from * N + N), to * N); c2.set(close.subarray(from * N, from * N + N), to * N); });
  open = o2; close = c2;
}
const t1 = process.hrtime.bigint();

// ---- one pass over the days ----------------------------------------------------------------------
const ring = new Int32Array(N * SLOW), pos = new Int32Array(N), count = new Int32Array(N);
const sumFast = new Float64Array(N), sumSlow = new Float64Array(N);
const rel = new Int8Array(N), warm = new Uint8Array(N);
const held = new Float64Array(N), lastClose = new Float64Array(N);
const buys = new Int32Array(N), sells = new Int32Array(N);
let nBuy = 0, nSell = 0, cash = INITIAL_CASH_FEN, equity = cash, trades = 0;
const fee = (notional: number) => Math.max(Math.round(notional * RATE), MIN_FEE_FEN);

for (let d = 0; d < D; d++) {
  const base = d * N;
  for (let j = 0; j < nSell; j++) { // yesterday's sells at today's open
    const i = sells[j]!, o = open[base + i]!;
    if (o === 0) continue; // suspended: dropped
    const notional = held[i]! * o;
    cash += notional - fee(notional);
    held[i] = 0;
    trades++;
  }
  const target = equity / N;
  for (let j = 0; j < nBuy; j++) { // then the buys, sized on yesterday's equity
    const i = buys[j]!, o = open[base + i]!;
    if (o === 0) continue; // suspended: dropped
    const qty = Math.floor(target / o / LOT) * LOT;
    const notional = qty * o, cost = notional + fee(notional);
    if (qty === 0 || cost > cash) continue;
    cash -= cost;
    held[i] = qty;
    trades++;
  }
  nBuy = 0; nSell = 0; equity = cash;
  for (let i = 0; i < N; i++) { // today's closes: SMAs, crossings, equity
    const c = close[base + i]!;
    if (c !== 0) {
      lastClose[i] = c;
      const r = i * SLOW, at = pos[i]!, n = count[i]!;
      const outSlow = n >= SLOW ? ring[r + at]! : 0;
      const outFast = n >= FAST ? ring[r + (at - FAST + SLOW) % SLOW]! : 0;
      ring[r + at] = c;
      pos[i] = at + 1 === SLOW ? 0 : at + 1;
      count[i] = n + 1;
      sumSlow[i] = sumSlow[i]! + c - outSlow;
      sumFast[i] = sumFast[i]! + c - outFast;
      if (n + 1 >= SLOW) {
        const lhs = sumFast[i]! * SLOW, rhs = sumSlow[i]! * FAST;
        const now = lhs > rhs ? 1 : lhs < rhs ? -1 : 0, before = rel[i]!;
        if (warm[i] && now !== before) {
          if (now > 0 && before <= 0) { if (held[i] === 0) buys[nBuy++] = i; }
          else if (now <= 0 && before > 0 && held[i]! > 0) sells[nSell++] = i;
        }
        rel[i] = now;
        warm[i] = 1;
      }
    }
    equity += held[i]! * lastClose[i]!;
  }
}
const t2 = process.hrtime.bigint();
console.log(JSON.stringify({
  symbols: symIdx.size, days: D, bars, trades, finalEquity: Math.round(equity) / 100,
  parseMs: Math.round(Number(t1 - t0) / 1e6), loopMs: Math.round(Number(t2 - t1) / 1e6),
}));
