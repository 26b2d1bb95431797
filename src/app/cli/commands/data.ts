import { join, resolve } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { nextUpdateAt, parseSymbol, parseTradingDay, parseUpdateTime } from '../../../domain/index.js';
import { writeBarCsv } from '../../../adapters/bars/index.js';
import type { ColumnMap, ImportSource } from '../../../adapters/importers/index.js';
import { importFiles } from '../../../adapters/importers/index.js';
import type { DataContext } from '../../data/index.js';
import { countFindings, ingestBars, loadDataConfig, openDataContext, storeKey, updateFromProvider } from '../../data/index.js';
import { validateBars } from '../../../domain/index.js';
import { AppError, EXIT } from '../../errors.js';
import { packageRoot, parse, printJson, progressBar } from '../io.js';

const HELP = `
Usage: ashare data <import|validate|update|status|export> [options]   (every command: --store FILE, --config FILE, --key-file FILE)

  import --source tushare-csv|baostock-csv|tdx|jqdata-csv|wind-csv|csv --path P [--strict] [--symbol CODE] [--json]
         [--columns 'symbol=code,date=day,open=o,high=h,low=l,close=c,volume=v,amount=a,preClose=pc,volumeUnit=lots,amountUnit=thousand']
         (--columns: the header names of a generic csv; volumeUnit shares|lots, amountUnit cny|thousand)
         a file, a .gz file or a folder; validated (config/data.yaml policy per finding; rejections and
         corrections journaled with before/after) and stored in one transaction
  validate [--json]                          run the validator over the stored bars (changes nothing)
  update --source tushare|jqdata [--schedule] [--json]
         fetch from the day after the last stored bar to today, failing over to the configured backup;
         --schedule keeps running, once per trading day at update.time (Asia/Shanghai, after the close)
  status [--json]                            tables, counts, ranges, sources
  export --symbols A,B --from D1 --to D2 --out FILE   canonical bar CSV`;

const common = { store: { type: 'string' }, config: { type: 'string' }, 'key-file': { type: 'string' }, json: { type: 'boolean' } } as const;

async function withContext<T>(values: Record<string, unknown>, create: boolean, f: (c: DataContext) => Promise<T>): Promise<T> {
  const cfgPath = typeof values.config === 'string' ? values.config : join(packageRoot(), 'config', 'data.yaml');
  const config = loadDataConfig(cfgPath);
  const c = await openDataContext({
    config, packageRoot: packageRoot(), create, key: storeKey(config, values['key-file'] as string | undefined, process.cwd()),
    ...(typeof values.store === 'string' ? { storePath: values.store } : {}),
  });
  try { return await f(c); } finally { await c.close(); }
}

const show = (json: unknown, values: Record<string, unknown>, text: string): void => {
  if (values.json) printJson(json); else process.stdout.write(text.endsWith('\n') ? text : text + '\n');
};

export async function dataCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h') { process.stdout.write(HELP.trim() + '\n'); return sub === undefined ? EXIT.usage : EXIT.ok; }
  switch (sub) {
    case 'import': {
      const a = parse(rest, { ...common, source: { type: 'string' }, path: { type: 'string' }, strict: { type: 'boolean' }, symbol: { type: 'string' }, columns: { type: 'string' } }, HELP);
      if (!a) return EXIT.ok;
      const source = a.values.source as ImportSource;
      if (!['tushare-csv', 'baostock-csv', 'tdx', 'jqdata-csv', 'wind-csv', 'csv'].includes(source)) throw new AppError('USAGE', '--source takes tushare-csv, baostock-csv, tdx, jqdata-csv, wind-csv or csv', EXIT.usage);
      if (typeof a.values.path !== 'string') throw new AppError('USAGE', 'data import needs --path P', EXIT.usage);
      const bar = progressBar('import');
      bar.update(0, 2, 'reading');
      const columns = typeof a.values.columns === 'string' ? parseColumnMap(a.values.columns) : undefined;
      const r = await importFiles(source, a.values.path, { strict: a.values.strict === true, checkOhlc: false, ...(columns ? { columns } : {}), ...(typeof a.values.symbol === 'string' ? { symbol: a.values.symbol } : {}) });
      if (isLeft(r)) throw new AppError(r.left.code, r.left.message, EXIT.badInput);
      bar.update(1, 2, 'validating and storing');
      const s = await withContext(a.values, true, (c) => ingestBars(c, `${source}:${resolve(a.values.path as string)}`, r.right.rows));
      bar.done();
      const out = { ...s, suspendedRows: r.right.suspendedRows, files: r.right.files, problems: r.right.problems };
      show(out, a.values, `imported ${s.rows} bars (${s.symbols} symbols, ${s.firstDay ?? '–'} … ${s.lastDay ?? '–'}) from ${r.right.files} file(s); ${r.right.suspendedRows} suspended-day rows skipped; ` +
        `${s.inserted} new, ${s.updated} changed, ${s.unchanged} unchanged; findings ${JSON.stringify(s.findings)}; ${s.rejected} rejected, ${s.quarantined} quarantined, ${s.corrected} corrected` +
        (r.right.problems.length ? `\n${r.right.problems.length} unreadable rows, first: ${r.right.problems[0]!.file}:${r.right.problems[0]!.line}: ${r.right.problems[0]!.message}` : ''));
      return EXIT.ok;
    }
    case 'validate': {
      const a = parse(rest, common, HELP);
      if (!a) return EXIT.ok;
      const out = await withContext(a.values, false, async (c) => {
        const bars = c.store.bars({ from: '0000-01-01', to: '9999-12-31' });
        const findings = validateBars(bars, { rules: c.rules });
        return { bars: bars.length, findings: countFindings(findings), examples: findings.filter((f) => f.severity !== 'info').slice(0, 20) };
      });
      show(out, a.values, `${out.bars} stored bars; findings ${JSON.stringify(out.findings)}`);
      return EXIT.ok;
    }
    case 'update': {
      const a = parse(rest, { ...common, source: { type: 'string' }, schedule: { type: 'boolean' } }, HELP);
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
      show(st, a.values, JSON.stringify(st, null, 2));
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
