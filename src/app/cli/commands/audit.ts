import { join, resolve } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { parseTradingDay } from '../../../domain/index.js';
import type { VerifyResult } from '../../../adapters/journal/index.js';
import { loadMarketRules } from '../../../adapters/market/index.js';
import { auditJournal, type AuditReport } from '../../compliance/index.js';
import { rulesFromConfig, validateConfig } from '../../config/index.js';
import { AppError, EXIT } from '../../errors.js';
import { readJournalFile, shownJournal, verifyJournalAt } from '../../journalio/index.js';
import { keyFrom, keyOptions, packageRoot, parse, printJson } from '../io.js';

const HELP = `
Usage: ashare audit --journal FILE|postgres://… [--day YYYY-MM-DD] [--json] [--market-rules DIR] [--key-file FILE]

Compliance audit of a journal. Verifies the hash chain, then re-evaluates every recorded risk
decision (each order's approval or denial with its reason, rule and rule version, every trading-
state change and every stop) with the configuration recorded in the journal (its risk limits
included) and the dated rule tables, and reports {decisions, mismatches, details}. Exits 0 when the
chain holds and every decision is reproduced, 1 otherwise.
  --day D             audit one trading day (default: every day)
  --market-rules DIR  the rule tables to judge with (default: config/market of this install); the
                      decisions name the tables' version, and a different version is reported
  --json              the report as one JSON object`;

const MARKET_VERSION = /market-rules ([0-9a-f]{16})/;

export async function auditCommand(argv: string[]): Promise<number> {
  const a = parse(argv, { journal: { type: 'string' }, day: { type: 'string' }, json: { type: 'boolean' }, 'market-rules': { type: 'string' }, ...keyOptions }, HELP);
  if (!a) return EXIT.ok;
  const locator = a.values.journal;
  if (typeof locator !== 'string') throw new AppError('USAGE', 'audit needs --journal FILE (see --help)', EXIT.usage);
  const file = shownJournal(locator);
  const dayArg = a.values.day;
  const day = typeof dayArg === 'string' ? parseTradingDay(dayArg) : undefined;
  if (dayArg !== undefined && !day) throw new AppError('USAGE', `--day takes a date YYYY-MM-DD, got ${JSON.stringify(dayArg)}`, EXIT.usage);
  const key = keyFrom(a.values);
  const chain = await verifyJournalAt(locator, key);
  if (!chain.ok && chain.seq === null) throw new AppError(chain.code, chain.reason, EXIT.journal);
  const r = await readJournalFile(locator, key);
  if (isLeft(r) && !chain.ok) {
    // The chain is broken where the events cannot even be read: say what `journal verify` says (exit 1, the seq).
    if (a.values.json) printJson({ journal: file, chain: { ok: false, seq: chain.seq, reason: chain.reason }, pass: false });
    else process.stderr.write(`${file}: FAILED at seq ${chain.seq}: ${chain.reason}\n`);
    return EXIT.checkFailed;
  }
  if (isLeft(r)) throw new AppError(r.left.code, r.left.message, EXIT.journal);
  const events = r.right;
  if (day && !events.some((e) => e.day === day && e.type === 'BarsClosed')) throw new AppError('AUDIT_NO_SUCH_DAY', `${file} has no trading day ${day}`, EXIT.badInput);
  const dir = typeof a.values['market-rules'] === 'string' ? resolve(a.values['market-rules']) : join(packageRoot(), 'config', 'market');
  const mr = loadMarketRules(dir);
  if (isLeft(mr)) throw new AppError('MARKET_RULES_INVALID', mr.left.message, EXIT.badInput);
  const report = await auditJournal(events, (run) => {
    if (run.config['risk'] === undefined) {
      throw new AppError('AUDIT_NO_RISK_CONFIG', `${file} was written before the risk gate existed (its RunStarted config has no risk limits); replay it with ashare replay`, EXIT.badInput);
    }
    const c = validateConfig(run.config, `${file} (RunStarted config)`, '.');
    if (isLeft(c)) throw new AppError(c.left.code, c.left.problems.join('\n'), EXIT.badInput);
    return rulesFromConfig(c.right.config, mr.right);
  }, day ? new Set([day]) : null);
  const loadedTables = mr.right.version.slice(0, 16);
  const recordedTables = [...new Set(report.ruleVersions.map((v) => MARKET_VERSION.exec(v)?.[1]).filter((x): x is string => !!x))];
  const tablesDiffer = recordedTables.some((t) => t !== loadedTables);
  const chainOk = chain.ok;
  const pass = chainOk && report.mismatches === 0;
  if (a.values.json) {
    printJson({
      journal: file, chain: chain.ok ? { ok: true, events: chain.events, headHash: chain.headHash } : { ok: false, seq: chain.seq, reason: chain.reason },
      marketTables: { loaded: loadedTables, recorded: recordedTables }, ...report, pass,
    });
  } else {
    process.stdout.write(readable(file, report, chain, loadedTables, recordedTables, tablesDiffer, pass));
  }
  return pass ? EXIT.ok : EXIT.checkFailed;
}

function readable(
  file: string, r: AuditReport, chain: VerifyResult, loaded: string, recorded: readonly string[], tablesDiffer: boolean, pass: boolean,
): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const out: string[] = [
    `Compliance audit of ${file}`,
    chain.ok ? `  Journal chain: intact, ${n(chain.events)} events, head ${chain.headHash}` : `  Journal chain: BROKEN at seq ${chain.seq}: ${chain.reason}`,
    `  Run ${r.runId} (${r.mode}), config hash ${r.configHash}`,
    `  Rule versions recorded on the decisions:`, ...r.ruleVersions.map((v) => `    ${v}`),
    `  Market rule tables used to judge: ${loaded}${tablesDiffer ? ` — the decisions name ${recorded.join(', ')}: pass --market-rules DIR with the tables of that version` : ''}`,
    '',
    `  ${n(r.days)} trading days audited; ${n(r.decisions)} decisions re-evaluated: ${n(r.approved)} orders approved, ${n(r.denied)} denied, ${n(r.stops)} stops (${n(r.stopsBlockedByT1)} could sell nothing under T+1), ${n(r.stateChanges.length)} trading-state changes.`,
  ];
  const denials = Object.entries(r.deniedBy).sort(([, x], [, y]) => y - x);
  if (denials.length) out.push('  Denials by rule and reason:', ...denials.map(([k, v]) => `    ${k.padEnd(44)} ${n(v)}`));
  if (r.stateChanges.length) out.push('  Trading-state changes:', ...r.stateChanges.map((c) => `    ${c.day}  ${c.from} → ${c.to}  by ${c.by}: ${c.why}`));
  out.push('', `  Mismatches: ${n(r.mismatches)}`);
  for (const d of r.details.slice(0, 50)) {
    out.push(`    ${d.day} ${d.subject}${d.seq !== null ? ` (seq ${d.seq})` : ''}`, `      recorded: ${d.recorded}`, `      re-decided: ${d.replayed}`);
  }
  if (r.details.length > 50) out.push(`    … ${n(r.details.length - 50)} more (see --json)`);
  out.push('', pass
    ? 'Result: PASS — the journal is intact and every recorded decision is what the rules and limits in force decide.'
    : `Result: FAIL — ${chain.ok ? '' : 'the journal chain is broken; '}${r.mismatches ? `${n(r.mismatches)} decision(s) differ from what the rules in force decide.` : ''}`, '');
  return out.join('\n');
}
