import { join, resolve } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { nextUpdateAt, parseSymbol, parseTradingDay, parseUpdateTime } from '../../../domain/index.js';
import { writeBarCsv } from '../../../adapters/bars/index.js';
import type { ColumnMap, ImportResult, ImportSource } from '../../../adapters/importers/index.js';
import { importFiles } from '../../../adapters/importers/index.js';
import type { DataContext } from '../../data/index.js';
import { countFindings, ingestBars, loadDataConfig, openDataContext, policyTable, storeKey, updateFromProvider } from '../../data/index.js';
import type { CodeAdmission } from '../../../domain/index.js';
import { admitCode, dayProblem, dayStatus, offTickFields, offTickProblem, unassignedCodeProblem, validateBars } from '../../../domain/index.js';
import { loadMarketRules } from '../../../adapters/market/marketRulesFile.js';
import { AppError, EXIT } from '../../errors.js';
import { packageRoot, parse, printJson, progressBar } from '../io.js';

const HELP = `
Usage: ashare data <import|validate|update|status|export> [options]   (every command: --store FILE, --config FILE, --key-file FILE)

  import --source tushare-csv|baostock-csv|tdx|jqdata-csv|wind-csv|csv --path P [--strict] [--symbol CODE]
         [--adjusted qfq|hfq|none] [--json]
         [--columns 'symbol=code,date=day,open=o,high=h,low=l,close=c,volume=v,amount=a,preClose=pc,volumeUnit=lots,amountUnit=thousand']
         (--columns: the header names of a generic csv; volumeUnit shares|lots, amountUnit cny|thousand)
         a file, a .gz file or a folder; validated (config/data.yaml policy per finding; rejections
         journaled once per symbol and kind with the row count and the first row, corrections with
         before/after) and stored in one transaction. Importing the same file again changes nothing.
         A file that yields no bars, or whose bars are all rejected or quarantined, is an error naming it
         (exit 3; the findings are printed first). --symbol CODE imports that code only.
         --adjusted qfq|hfq: forward/backward-adjusted prices (前复权/后复权), validated without the checks
         that assume traded prices: price limits (BAND_VIOLATION), the price tick (OFF_TICK) and the
         amount ÷ volume price test of VOLUME_SANITY; a warning says so. Use such bars for signals, not
         to price orders. Input that looks adjusted is refused without --adjusted (exit 3);
         --adjusted none imports it as traded prices.
  validate [--json]                          run the validator over the stored bars (changes nothing); exit 1
         when a stored bar has a finding whose policy is reject, the first ones named (symbol, day, kind)
  import, validate and update check bars against the market rules (config/market): a code on no board
         (UNKNOWN_CODE), a price off the board's tick, 0.01 CNY for stocks (OFF_TICK), a day the exchange
         was closed (NOT_TRADING_DAY) or one the calendar does not cover (OUTSIDE_CALENDAR), each with the
         policy of config/data.yaml (reject by default); import names the first such rows with file and line.
         --allow-non-trading-days treats NOT_TRADING_DAY as warn (the bars are kept); OUTSIDE_CALENDAR stays
  update --source tushare|jqdata [--schedule] [--json]
         fetch from the day after the last stored bar to today, failing over to the configured backup;
         --schedule keeps running, once per trading day at update.time (Asia/Shanghai, after the close)
  status [--json]                            tables, counts, ranges, sources
  export --symbols A,B --from D1 --to D2 --out FILE   canonical bar CSV`;

const common = { store: { type: 'string' }, config: { type: 'string' }, 'key-file': { type: 'string' }, json: { type: 'boolean' } } as const;
/** Where bars come in (import, validate, update): keep rows on days the exchange was closed. */
const allowFlag = { 'allow-non-trading-days': { type: 'boolean' } } as const;

async function withContext<T>(values: Record<string, unknown>, create: boolean, f: (c: DataContext) => Promise<T>): Promise<T> {
  const cfgPath = typeof values.config === 'string' ? values.config : join(packageRoot(), 'config', 'data.yaml');
  const loaded = loadDataConfig(cfgPath);
  // --allow-non-trading-days is the policy NOT_TRADING_DAY: warn for this command (OUTSIDE_CALENDAR keeps its own).
  const config = values['allow-non-trading-days'] === true
    ? Object.freeze({ ...loaded, policy: { ...loaded.policy, NOT_TRADING_DAY: 'warn' as const } }) : loaded;
  const c = await openDataContext({
    config, packageRoot: packageRoot(), create, key: storeKey(config, values['key-file'] as string | undefined, process.cwd()),
    ...(typeof values.store === 'string' ? { storePath: values.store } : {}),
  });
  try { return await f(c); } finally { await c.close(); }
}

/** `data status` for a person: the store, then one line per table (keys, versions, day span, sources). */
const statusLines = (st: { path: string; encrypted: boolean; writes: number; tables: Readonly<Record<string, { versions: number; keys: number; firstDay: string | null; lastDay: string | null; sources: readonly string[] }>> }): string => {
  const width = Math.max(...Object.keys(st.tables).map((n) => n.length));
  const rows = Object.entries(st.tables).map(([name, t]) => `  ${name.padEnd(width)}  ` + (t.versions === 0 ? 'empty' :
    `${t.keys} keys, ${t.versions} versions` + (t.firstDay ? `, ${t.firstDay} … ${t.lastDay}` : '') + (t.sources.length ? `, from ${t.sources.join(', ')}` : '')));
  return [`store ${st.path} (${st.encrypted ? 'encrypted' : 'not encrypted'}), ${st.writes} writes`, ...rows].join('\n');
};
const show = (json: unknown, values: Record<string, unknown>, text: string): void => {
  if (values.json) printJson(json); else process.stdout.write(text.endsWith('\n') ? text : text + '\n');
};

export async function dataCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h') { process.stdout.write(HELP.trim() + '\n'); return sub === undefined ? EXIT.usage : EXIT.ok; }
  switch (sub) {
    case 'import': {
      const a = parse(rest, { ...common, source: { type: 'string' }, path: { type: 'string' }, strict: { type: 'boolean' }, symbol: { type: 'string' }, columns: { type: 'string' }, adjusted: { type: 'string' }, ...allowFlag }, HELP);
      if (!a) return EXIT.ok;
      const source = a.values.source as ImportSource;
      if (!['tushare-csv', 'baostock-csv', 'tdx', 'jqdata-csv', 'wind-csv', 'csv'].includes(source)) throw new AppError('USAGE', '--source takes tushare-csv, baostock-csv, tdx, jqdata-csv, wind-csv or csv', EXIT.usage);
      if (typeof a.values.path !== 'string') throw new AppError('USAGE', 'data import needs --path P', EXIT.usage);
      const adjusted = a.values.adjusted;
      if (adjusted !== undefined && adjusted !== 'qfq' && adjusted !== 'hfq' && adjusted !== 'none') throw new AppError('USAGE', '--adjusted takes qfq, hfq or none', EXIT.usage);
      const symbol = typeof a.values.symbol === 'string' ? a.values.symbol : undefined;
      const bar = progressBar('import');
      bar.update(0, 2, 'reading');
      const columns = typeof a.values.columns === 'string' ? parseColumnMap(a.values.columns) : undefined;
      const r = await importFiles(source, a.values.path, { strict: a.values.strict === true, checkOhlc: false, ...(columns ? { columns } : {}), ...(symbol !== undefined ? { symbol } : {}) });
      if (isLeft(r)) throw new AppError(r.left.code, r.left.message, EXIT.badInput);
      requireBars(r.right, a.values.path, symbol);
      bar.update(1, 2, 'validating and storing');
      const label = `${source}${adjusted === 'qfq' || adjusted === 'hfq' ? `+${adjusted}` : ''}:${resolve(a.values.path)}`;
      const s = await withContext(a.values, true, (c) => ingestBars(c, label, r.right.rows, adjusted === undefined ? {} : { adjusted }));
      bar.done();
      for (const w of s.warnings) process.stderr.write(`ashare data import: warning: ${w}\n`);
      const out = { ...s, suspendedRows: r.right.suspendedRows, otherSymbolRows: r.right.otherSymbolRows, files: r.right.files, problems: r.right.problems };
      const noneAdmitted = s.rows === 0 && r.right.rows.length > 0;
      show(out, a.values, `${noneAdmitted ? `admitted none of the ${r.right.rows.length} bars read` : `imported ${s.rows} bars (${s.symbols} symbols, ${s.firstDay ?? '–'} … ${s.lastDay ?? '–'})`} from ${r.right.files} file(s)${s.adjusted ? ` as ${s.adjusted}-adjusted prices` : ''}; ${r.right.suspendedRows} suspended-day rows skipped; ` +
        (symbol !== undefined ? `${r.right.otherSymbolRows} rows of other codes left out; ` : '') +
        `${s.inserted} new, ${s.updated} changed, ${s.unchanged} unchanged; findings ${JSON.stringify(s.findings)}; ${s.rejected} rejected, ${s.quarantined} quarantined, ${s.corrected} corrected; ` +
        `data journal: ${s.journaled} events written, ${s.alreadyJournaled} already recorded` +
        (r.right.problems.length ? `\n${r.right.problems.length} unreadable rows, first: ${r.right.problems[0]!.file}:${r.right.problems[0]!.line}: ${r.right.problems[0]!.message}` : ''));
      if (!a.values.json) for (const line of marketRuleRows(r.right, s.findings, s.adjusted !== null, a.values['allow-non-trading-days'] === true)) process.stdout.write(`${line}\n`);
      if (noneAdmitted) {
        // Every row read was refused by the validator's policies: a failure, not "imported 0 bars". A file
        // imported before still succeeds — its rows are admitted again (unchanged), so this is never a re-import.
        throw new AppError('IMPORT_NONE_ADMITTED', `no row of ${a.values.path} was admitted: all ${r.right.rows.length} bars read were rejected or quarantined (see the findings printed, and config/data.yaml for the policies); nothing was stored`, EXIT.badInput);
      }
      return EXIT.ok;
    }
    case 'validate': {
      const a = parse(rest, { ...common, ...allowFlag }, HELP);
      if (!a) return EXIT.ok;
      const out = await withContext(a.values, false, async (c) => {
        const bars = c.store.bars({ from: '0000-01-01', to: '9999-12-31' });
        const findings = validateBars(bars, { rules: c.rules });
        const policy = policyTable(c);
        const refused = findings.filter((f) => policy[f.kind] === 'reject');
        return {
          bars: bars.length, findings: countFindings(findings), refused: refused.length,
          examples: [...refused, ...findings.filter((f) => f.severity !== 'info' && policy[f.kind] !== 'reject')].slice(0, 20),
        };
      });
      const first = out.examples.slice(0, Math.min(out.refused, 5));
      show(out, a.values, `${out.bars} stored bars; findings ${JSON.stringify(out.findings)}` + (out.refused === 0 ? '' :
        `\n${out.refused} findings on stored bars that the policy rejects (config/data.yaml), first:` +
        first.map((f) => `\n  ${f.symbol} ${f.day}: ${f.kind} ${JSON.stringify(f.details)}`).join('')));
      return out.refused > 0 ? EXIT.checkFailed : EXIT.ok;
    }
    case 'update': {
      const a = parse(rest, { ...common, ...allowFlag, source: { type: 'string' }, schedule: { type: 'boolean' } }, HELP);
      if (!a) return EXIT.ok;
      const src = a.values.source;
      if (src !== 'tushare' && src !== 'jqdata') throw new AppError('USAGE', '--source takes tushare or jqdata', EXIT.usage);
      const run = () => withContext(a.values, true, (c) => updateFromProvider(c, src, process.env, Date.now())); // allow-nondeterminism: app layer
      if (!a.values.schedule) {
        const s = await run();
        show(s, a.values, `updated ${s.from} … ${s.to} from ${s.provider}: ${s.rows} bars stored, ${s.inserted} new, findings ${JSON.stringify(s.findings)}`);
        return EXIT.ok;
      }
      const config = loadDataConfig(typeof a.values.config === 'string' ? a.values.config : join(packageRoot(), 'config', 'data.yaml'));
      const t = parseUpdateTime(config.update.time);
      if (!t.ok) throw new AppError('CONFIG_INVALID', t.message, EXIT.badInput);
      const cal = await withContext(a.values, true, async (c) => c.rules.calendar);
      for (;;) {
        const next = nextUpdateAt(Date.now(), t, cal); // allow-nondeterminism: the scheduler's own clock
        process.stdout.write(`next update at ${new Date(next).toISOString()} (${config.update.time} Asia/Shanghai)\n`);
        await new Promise((r) => setTimeout(r, next - Date.now()));
        try { const s = await run(); process.stdout.write(`updated ${s.from} … ${s.to}: ${s.rows} bars\n`); }
        catch (e) { process.stderr.write(`ashare data update: ${(e as Error).message}\n`); }
      }
    }
    case 'status': {
      const a = parse(rest, common, HELP);
      if (!a) return EXIT.ok;
      const st = await withContext(a.values, false, async (c) => ({ path: c.store.path, encrypted: c.store.isEncrypted, ...c.store.status() }));
      show(st, a.values, statusLines(st));
      return EXIT.ok;
    }
    case 'export': {
      const a = parse(rest, { ...common, symbols: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' } }, HELP);
      if (!a) return EXIT.ok;
      const from = parseTradingDay(String(a.values.from ?? '')), to = parseTradingDay(String(a.values.to ?? ''));
      if (!from || !to || typeof a.values.out !== 'string') throw new AppError('USAGE', 'data export needs --from D1 --to D2 (YYYY-MM-DD) and --out FILE', EXIT.usage);
      const symbols = typeof a.values.symbols === 'string' ? a.values.symbols.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
      const bad = symbols?.find((s) => !parseSymbol(s));
      if (bad) throw new AppError('USAGE', `--symbols: ${JSON.stringify(bad)} is not a suffixed code like 600519.SH`, EXIT.usage);
      const out = await withContext(a.values, false, async (c) => {
        const days = c.store.dayBars({ ...(symbols ? { symbols } : {}), from, to });
        await writeBarCsv(a.values.out as string, days);
        return { out: a.values.out, days: days.length, rows: days.reduce((n, d) => n + d.symbols.length, 0) };
      });
      show(out, a.values, `wrote ${out.rows} bars over ${out.days} days to ${out.out}`);
      return EXIT.ok;
    }
    default:
      throw new AppError('USAGE', `unknown data command ${JSON.stringify(sub)} (see ashare data --help)`, EXIT.usage);
  }
}

/**
 * An import that read no bar is an error naming the file (exit 3), never a success on nothing:
 * an empty, binary, corrupt or header-only file, or no row of the `--symbol` asked for. A file of
 * suspended days only is an answer (no bars that day), not an error.
 */
function requireBars(r: ImportResult, path: string, symbol: string | undefined): void {
  if (r.rows.length > 0 || r.suspendedRows > 0) return;
  const p = r.problems[0];
  const more = r.problems.length > 1 ? ` (and ${r.problems.length - 1} more problems)` : '';
  const why = p ? `${p.file}${p.line > 0 ? ` line ${p.line}` : ''}: ${p.message}${more}`
    : symbol !== undefined ? `${path}: no rows of ${symbol} (${r.otherSymbolRows} rows of other codes)`
      : `${path}: no bars in ${r.files === 1 ? 'the file' : `the ${r.files} files`}`;
  throw new AppError('IMPORT_EMPTY', `${why.replace(/[\r\n]+/g, ' ')}; nothing was imported`, EXIT.badInput);
}

/**
 * The first rows of an import that the market rules do not admit, each with its file and line,
 * symbol, day and finding kind — the rows behind the UNKNOWN_CODE, OFF_TICK, NOT_TRADING_DAY and
 * OUTSIDE_CALENDAR counts (the data journal keeps one event per symbol and kind, without lines).
 */
function marketRuleRows(r: ImportResult, findings: Readonly<Record<string, number>>, adjusted: boolean, allowClosed: boolean, max = 5): string[] {
  const kinds = ['UNKNOWN_CODE', 'OFF_TICK', 'NOT_TRADING_DAY', 'OUTSIDE_CALENDAR'];
  if (!kinds.some((k) => (findings[k] ?? 0) > 0)) return [];
  const rules = loadMarketRules(join(packageRoot(), 'config', 'market'));
  if (isLeft(rules)) return [];
  const codes = new Map<string, CodeAdmission>();
  const out: string[] = [];
  for (let i = 0; i < r.rows.length && out.length < max; i++) {
    const b = r.rows[i]!;
    let code = codes.get(b.symbol);
    if (code === undefined) codes.set(b.symbol, (code = admitCode(rules.right, b.symbol)));
    const status = dayStatus(rules.right.calendar, b.day);
    const off = code.assigned && code.tickMilli !== null && !adjusted ? offTickFields(b, code.tickMilli) : [];
    const problem = !code.assigned ? ['UNKNOWN_CODE', unassignedCodeProblem(b.symbol)]
      : off.length > 0 ? ['OFF_TICK', offTickProblem(off, b, code.tickMilli!)]
        : status === 'uncovered' || (status === 'closed' && !allowClosed) ? [status === 'closed' ? 'NOT_TRADING_DAY' : 'OUTSIDE_CALENDAR', dayProblem(rules.right.calendar, b.day, status)]
          : null;
    if (problem === null) continue;
    const o = r.originOf(i);
    const where = o === undefined ? '' : o.line > 0 ? `${o.file} line ${o.line}: ` : `${o.file}: `;
    out.push(`  ${where}${b.symbol} ${b.day}: ${problem[0]}: ${problem[1]}`);
  }
  return out.length > 0 ? ['rows off the market rules (config/market), first:', ...out] : [];
}

/** `k=v,k=v` → the generic CSV column map; every problem is a usage error naming the key. */
function parseColumnMap(spec: string): ColumnMap {
  const m: Record<string, string> = {};
  for (const part of spec.split(',').map((x) => x.trim()).filter(Boolean)) {
    const [k, v] = part.split('=').map((x) => x.trim());
    if (!k || !v) throw new AppError('USAGE', `--columns: ${JSON.stringify(part)} is not key=value`, EXIT.usage);
    m[k] = v;
  }
  for (const k of ['date', 'open', 'high', 'low', 'close', 'volume', 'amount']) {
    if (!m[k]) throw new AppError('USAGE', `--columns needs ${k}=<header name>`, EXIT.usage);
  }
  const volumeUnit = m.volumeUnit ?? 'shares', amountUnit = m.amountUnit ?? 'cny';
  if (volumeUnit !== 'shares' && volumeUnit !== 'lots') throw new AppError('USAGE', '--columns: volumeUnit is shares or lots', EXIT.usage);
  if (amountUnit !== 'cny' && amountUnit !== 'thousand') throw new AppError('USAGE', '--columns: amountUnit is cny or thousand', EXIT.usage);
  return {
    date: m.date!, open: m.open!, high: m.high!, low: m.low!, close: m.close!, volume: m.volume!, amount: m.amount!,
    ...(m.symbol ? { symbol: m.symbol } : {}), ...(m.preClose ? { preClose: m.preClose } : {}), ...(m.isSt ? { isSt: m.isSt } : {}),
    volumeUnit, amountUnit,
  };
}
