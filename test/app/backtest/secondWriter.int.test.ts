import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { openSqliteJournal } from '../../../src/adapters/journal/sqliteJournal.js';
import { loadMarketRules } from '../../../src/adapters/market/index.js';
import { runBacktest } from '../../../src/app/backtest/index.js';
import { loadConfig, validateConfig } from '../../../src/app/config/index.js';
import { AppError, EXIT } from '../../../src/app/errors.js';
import { markedEvent } from '../../adapters/journal/fixtures/journalFiles.js';

// Another process appending to a backtest's journal mid-run (past the lock: a tool that does not
// take it) makes the engine's next append stale (JOURNAL_CONCURRENCY). The run stops with the
// journal's exit code 4 and says what happened — not exit 70 "internal error".
const work = mkdtempSync(join(tmpdir(), 'ashare-second-writer-'));
const mr = loadMarketRules('config/market');
const base = loadConfig('config/backtest.yaml');

describe('a second writer during a backtest', () => {
  it.each([false, true])('is reported as "another process is writing this journal" with exit 4 (appends on a worker thread: %s)', async (appendThread) => {
    if (!isRight(mr) || !isRight(base)) throw new Error('config does not load');
    const raw = { ...JSON.parse(JSON.stringify(base.right.config)), market: { source: 'synthetic', synthetic: { symbols: 5, days: 20, seed: 3, startDay: '2022-01-04' } } };
    const cfg = validateConfig(raw, 'second-writer', base.right.baseDir);
    if (!isRight(cfg)) throw new Error(cfg.left.problems.join('; '));
    const journalPath = join(work, `contested-${appendThread}.sqlite`);
    let days = 0;
    // The kill switch hook runs inside the engine's day: the other writer appends from its own connection there.
    const control = () => {
      if (++days === 3) {
        const other = openSqliteJournal({ path: journalPath, durability: 'fast' });
        if (isLeft(other)) throw new Error(other.left.message);
        void other.right.append([markedEvent(1)], 'any'); // the insert runs synchronously before the promise
        void other.right.close();
      }
      return [];
    };
    const run = runBacktest({ loaded: cfg.right, marketRules: mr.right, codeVersion: 'test', stamp: 'x', journalPath, reportDir: join(work, 'rep'), control, appendThread });
    const err = await run.then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).exitCode).toBe(EXIT.journal);
    expect((err as AppError).code).toBe('JOURNAL_CONCURRENCY');
    expect((err as AppError).message).toContain(`another process is writing this journal ${journalPath}`);
  });
});
