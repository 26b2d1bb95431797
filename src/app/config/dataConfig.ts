import { z } from 'zod';
import { parseUpdateTime } from '../../domain/data/updateSchedule.js';

const Policy = z.enum(['reject', 'quarantine', 'correct', 'warn']);
/** Kinds added after data configs were first written (issue 15): a copied config without them still rejects. */
const REJECT_UNLESS_NAMED = { UNKNOWN_CODE: 'reject', OFF_TICK: 'reject', OUTSIDE_CALENDAR: 'reject' } as const;

/**
 * The data pipeline's configuration (config/data.yaml): where the encrypted market store and its
 * data journal live, the providers and their failover order, the daily update time, and what the
 * validator does with each kind of finding. Secrets (tokens, passwords) are named by environment
 * variable, never written in the file. Strict: an unknown key is an error.
 */
export const DataConfigSchema = z.object({
  store: z.object({
    /** Relative to the working directory. */
    path: z.string().min(1).default('journal/market-store.sqlite'),
    keyFile: z.string().min(1).nullable().default(null),
    passphraseEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/).nullable().default(null),
  }).strict().default({ path: 'journal/market-store.sqlite', keyFile: null, passphraseEnv: null }),
  /** The data journal: DataRejected / DataCorrected / ProviderSwitched events. */
  journal: z.string().min(1).default('journal/market-data.journal.sqlite'),
  providers: z.object({
    primary: z.enum(['jqdata', 'tushare']).default('jqdata'),
    backup: z.enum(['jqdata', 'tushare']).nullable().default('tushare'),
    tushare: z.object({
      url: z.string().url().default('https://api.tushare.pro'),
      tokenEnv: z.string().default('TUSHARE_TOKEN'),
      callsPerMinute: z.number().int().positive().default(500),
    }).strict().default({ url: 'https://api.tushare.pro', tokenEnv: 'TUSHARE_TOKEN', callsPerMinute: 500 }),
    jqdata: z.object({
      url: z.string().url().default('https://dataapi.joinquant.com/apis'),
      mobEnv: z.string().default('JQDATA_MOB'),
      pwdEnv: z.string().default('JQDATA_PWD'),
    }).strict().default({ url: 'https://dataapi.joinquant.com/apis', mobEnv: 'JQDATA_MOB', pwdEnv: 'JQDATA_PWD' }),
    timeoutMs: z.number().int().positive().default(15_000),
  }).strict().default({
    primary: 'jqdata', backup: 'tushare', timeoutMs: 15_000,
    tushare: { url: 'https://api.tushare.pro', tokenEnv: 'TUSHARE_TOKEN', callsPerMinute: 500 },
    jqdata: { url: 'https://dataapi.joinquant.com/apis', mobEnv: 'JQDATA_MOB', pwdEnv: 'JQDATA_PWD' },
  }),
  update: z.object({
    /** HH:MM Asia/Shanghai, after the close (refused inside 09:15–15:30). */
    time: z.string().refine((s) => parseUpdateTime(s).ok, { message: 'expected HH:MM outside trading hours (09:15–15:30 Asia/Shanghai)' }).default('17:30'),
    /** Where an update into an empty store starts. */
    firstDay: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).default('2020-01-02'),
  }).strict().default({ time: '17:30', firstDay: '2020-01-02' }),
  /**
   * What happens to each kind of finding (`warn` for a kind not named), except the kinds below,
   * which are `reject` unless named: rows the engine cannot trade on never enter the store quietly.
   */
  policy: z.record(z.string(), Policy).default({}).transform((p): Record<string, z.infer<typeof Policy>> => ({ ...REJECT_UNLESS_NAMED, ...p })),
  cache: z.object({ max: z.number().int().positive().default(1000) }).strict().default({ max: 1000 }),
}).strict();

export type DataConfig = z.infer<typeof DataConfigSchema>;
