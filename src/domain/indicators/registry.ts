import { adx } from './adx.js';
import { atr } from './atr.js';
import { bias } from './bias.js';
import { bollinger } from './bollinger.js';
import { cci } from './cci.js';
import { dema } from './dema.js';
import { donchian } from './donchian.js';
import { ema } from './ema.js';
import { keltner } from './keltner.js';
import { kdj } from './kdj.js';
import { macd } from './macd.js';
import { mfi } from './mfi.js';
import { momentum } from './momentum.js';
import { obv } from './obv.js';
import { parabolicSar } from './parabolicSar.js';
import { psy } from './psy.js';
import { roc } from './roc.js';
import { rollingStd } from './rollingStd.js';
import { rsi } from './rsi.js';
import { sma } from './sma.js';
import { stochastic } from './stochastic.js';
import { tema } from './tema.js';
import { trix } from './trix.js';
import { vr } from './vr.js';
import { vwap } from './vwap.js';
import { williamsR } from './williamsR.js';
import { wma } from './wma.js';
import { zscore } from './zscore.js';
import type { Indicator, Ohlcv } from './types.js';

export type Params = Readonly<Record<string, number>>;
export type Row = Record<string, number>;

/**
 * One indicator as data, so a CLI or a strategy config can list and run any of them generically.
 * `create` always takes whole bars (close-input indicators read `bar.close`; `input` says which).
 * Params not given take `params` defaults; an unknown param name throws a RangeError naming it.
 */
export interface IndicatorSpec {
  readonly name: string;
  readonly params: Params;
  readonly outputs: readonly string[];
  readonly input: 'close' | 'ohlcv';
  create(params?: Params): Indicator<Ohlcv, Row>;
  batch(bars: readonly Ohlcv[], params?: Params): Record<string, (number | null)[]>;
}

type Make = (p: Record<string, number>) => Indicator<Ohlcv, Row>;

const onClose = (ind: Indicator<number, number>, out = 'value'): Indicator<Ohlcv, Row> => ({
  update: (b) => { const v = ind.update(b.close); return v === null ? null : { [out]: v }; },
  isWarm: () => ind.isWarm(),
});
const onBars = (ind: Indicator<Ohlcv, number>): Indicator<Ohlcv, Row> => ({
  update: (b) => { const v = ind.update(b); return v === null ? null : { value: v }; },
  isWarm: () => ind.isWarm(),
});
const multiClose = <O extends object>(ind: Indicator<number, O>): Indicator<Ohlcv, Row> => ({
  update: (b) => ind.update(b.close) as Row | null,
  isWarm: () => ind.isWarm(),
});
const multiBars = <O extends object>(ind: Indicator<Ohlcv, O>): Indicator<Ohlcv, Row> => ({
  update: (b) => ind.update(b) as Row | null,
  isWarm: () => ind.isWarm(),
});

/** Resolves given params over the defaults; throws on a name the indicator does not take. */
export function resolveParams(name: string, defaults: Params, given: Params = {}): Record<string, number> {
  for (const k of Object.keys(given)) {
    if (!(k in defaults)) throw new RangeError(`${name} has no parameter '${k}' (it takes: ${Object.keys(defaults).join(', ') || 'none'})`);
  }
  return { ...defaults, ...given };
}

function spec(name: string, input: 'close' | 'ohlcv', params: Params, outputs: readonly string[], make: Make): IndicatorSpec {
  const create = (given?: Params): Indicator<Ohlcv, Row> => make(resolveParams(name, params, given));
  return {
    name, params: Object.freeze({ ...params }), outputs: Object.freeze([...outputs]), input, create,
    batch(bars, given) {
      const ind = create(given);
      const cols: Record<string, (number | null)[]> = {};
      for (const o of outputs) cols[o] = new Array<number | null>(bars.length);
      bars.forEach((b, i) => {
        const row = ind.update(b);
        for (const o of outputs) cols[o]![i] = row === null ? null : row[o]!;
      });
      return cols;
    },
  };
}

const V = ['value'];
const BANDS = ['upper', 'mid', 'lower'];
const num = (p: Record<string, number>, k: string): number => p[k]!;

/** Every indicator, in the order `ashare indicators --list` prints them. */
export const INDICATORS: readonly IndicatorSpec[] = Object.freeze([
  spec('sma', 'close', { period: 20 }, V, (p) => onClose(sma(num(p, 'period')))),
  spec('ema', 'close', { period: 20 }, V, (p) => onClose(ema(num(p, 'period')))),
  spec('wma', 'close', { period: 20 }, V, (p) => onClose(wma(num(p, 'period')))),
  spec('dema', 'close', { period: 20 }, V, (p) => onClose(dema(num(p, 'period')))),
  spec('tema', 'close', { period: 20 }, V, (p) => onClose(tema(num(p, 'period')))),
  spec('macd', 'close', { fast: 12, slow: 26, signal: 9 }, ['dif', 'dea', 'hist'],
    (p) => multiClose(macd({ fast: num(p, 'fast'), slow: num(p, 'slow'), signal: num(p, 'signal'), cnBar: true }))),
  spec('rsi', 'close', { period: 14 }, V, (p) => onClose(rsi(num(p, 'period'), 'wilder'))),
  spec('rsiCn', 'close', { period: 6 }, V, (p) => onClose(rsi(num(p, 'period'), 'cn'))),
  spec('bollinger', 'close', { period: 20, k: 2 }, BANDS, (p) => multiClose(bollinger(num(p, 'period'), num(p, 'k')))),
  spec('atr', 'ohlcv', { period: 14 }, V, (p) => onBars(atr(num(p, 'period')))),
  spec('adx', 'ohlcv', { period: 14 }, ['pdi', 'mdi', 'adx'], (p) => multiBars(adx(num(p, 'period')))),
  spec('cci', 'ohlcv', { period: 14 }, V, (p) => onBars(cci(num(p, 'period')))),
  spec('stochastic', 'ohlcv', { n: 14, m1: 3, m2: 3 }, ['k', 'd'], (p) => multiBars(stochastic(num(p, 'n'), num(p, 'm1'), num(p, 'm2')))),
  spec('kdj', 'ohlcv', { n: 9, m1: 3, m2: 3 }, ['k', 'd', 'j'], (p) => multiBars(kdj(num(p, 'n'), num(p, 'm1'), num(p, 'm2')))),
  spec('williamsR', 'ohlcv', { period: 14 }, V, (p) => onBars(williamsR(num(p, 'period')))),
  spec('obv', 'ohlcv', {}, V, () => onBars(obv())),
  spec('mfi', 'ohlcv', { period: 14 }, V, (p) => onBars(mfi(num(p, 'period')))),
  spec('roc', 'close', { period: 12 }, V, (p) => onClose(roc(num(p, 'period')))),
  spec('momentum', 'close', { period: 12 }, V, (p) => onClose(momentum(num(p, 'period')))),
  spec('trix', 'close', { period: 12 }, V, (p) => onClose(trix(num(p, 'period')))),
  spec('bias', 'close', { period: 6 }, V, (p) => onClose(bias(num(p, 'period')))),
  spec('psy', 'close', { period: 12 }, V, (p) => onClose(psy(num(p, 'period')))),
  spec('vr', 'ohlcv', { period: 26 }, V, (p) => onBars(vr(num(p, 'period')))),
  spec('parabolicSar', 'ohlcv', { step: 0.02, max: 0.2 }, V, (p) => onBars(parabolicSar(num(p, 'step'), num(p, 'max')))),
  spec('donchian', 'ohlcv', { period: 20 }, BANDS, (p) => multiBars(donchian(num(p, 'period')))),
  spec('keltner', 'ohlcv', { period: 20, multiplier: 2 }, BANDS, (p) => multiBars(keltner(num(p, 'period'), num(p, 'multiplier')))),
  spec('vwap', 'ohlcv', { period: 20 }, V, (p) => onBars(vwap(num(p, 'period')))),
  spec('rollingStd', 'close', { period: 20 }, V, (p) => onClose(rollingStd(num(p, 'period')))),
  spec('zscore', 'close', { period: 20 }, V, (p) => onClose(zscore(num(p, 'period')))),
]);

/** The spec named `name`, or undefined. Names match case-insensitively (`MACD`, `macd`): no two indicators differ only in case. */
export const findIndicator = (name: string): IndicatorSpec | undefined => {
  const wanted = name.toLowerCase();
  return INDICATORS.find((s) => s.name.toLowerCase() === wanted);
};
