import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRight, left, right } from 'fp-ts/lib/Either.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandBody } from '../../../src/adapters/commands/index.js';
import { commandDirOf, writeCommand } from '../../../src/adapters/commands/index.js';
import { createSimClock } from '../../../src/adapters/clock/serviceClock.js';
import { createMemoryJournal } from '../../../src/adapters/journal/index.js';
import { loadMarketRules } from '../../../src/adapters/market/marketRulesFile.js';
import type { BrokerPort, Journal, StoredEvent } from '../../../src/domain/index.js';
import { GENESIS_HASH } from '../../../src/domain/index.js';
import { accountFromConfig, loadConfig, rulesFromConfig } from '../../../src/app/config/index.js';
import { feeSplitFrom, initialKernel } from '../../../src/app/engine/index.js';
import { applyOperatorCommands, type OperatorContext } from '../../../src/app/service/operator.js';
import { silentLog } from '../../../src/app/service/serviceLog.js';
import { ServiceSession } from '../../../src/app/service/serviceSession.js';

// applyOperatorCommands against a real session on an in-memory journal: commands taken in one pass
// are judged in order, a command is marked taken only once it is durable, a file left behind by a
// crash after its commit is removed without acting twice, and old commands expire (except the kill switch).
const mr = (() => { const r = loadMarketRules('config/market'); if (!isRight(r)) throw new Error('config/market'); return r.right; })();
const loaded = (() => { const r = loadConfig('config/paper.yaml'); if (!isRight(r)) throw new Error('paper.yaml'); return r.right; })();
const rules = rulesFromConfig(loaded.config, mr);
const KEY = randomBytes(32);
const NOW = Date.parse('2026-03-02T02:00:00Z');

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A session on a memory journal whose next append can be made to fail (a full disk). */
function setUp() {
  const d = mkdtempSync(join(tmpdir(), 'operator-'));
  dirs.push(d);
  const mem = createMemoryJournal();
  let failNext = false;
  const journal: Journal = { ...mem, append: async (ev, exp) => {
    if (failNext) { failNext = false; return left({ code: 'JOURNAL_IO', message: 'disk full' }); }
    return mem.append(ev, exp);
  } };
  const broker = { name: 'fake', external: false, cancel: async () => right(undefined) } as unknown as BrokerPort;
  const s = new ServiceSession(journal, initialKernel(rules.strategy), rules, broker, createSimClock(Date.parse('2022-03-02T02:00:00Z'), 'max', 'sim'),
    silentLog, feeSplitFrom(mr, accountFromConfig(loaded.config)), { seq: 0, hash: GENESIS_HASH });
  const journalPath = join(d, 'run.sqlite');
  let wall = NOW;
  const oc: OperatorContext<unknown> = { s: s as ServiceSession<unknown>, journalPath, channelKey: KEY, wallNow: () => wall };
  const events = async (): Promise<StoredEvent[]> => { const out: StoredEvent[] = []; for await (const e of mem.read()) out.push(e); return out; };
  return {
    oc, events, journalPath,
    failNextAppend: () => { failNext = true; },
    setWall: (ms: number) => { wall = ms; },
    apply: () => applyOperatorCommands(oc, s.stager()),
    write: (c: Partial<Omit<CommandBody, 'v' | 'commandId'>>, ms = NOW) =>
      writeCommand(journalPath, KEY, { user: 'alice', action: 'kill-switch-engage', target: null, why: 'test', issuedAt: new Date(ms).toISOString(), ...c }, ms),
    files: () => readdirSync(commandDirOf(journalPath)).filter((f) => f.endsWith('.json')),
  };
}
const summary = (ev: readonly StoredEvent[]) => ev.map((e) => {
  const d = e.data as Record<string, unknown>;
  switch (e.type) {
    case 'OperatorCommandReceived': return `received ${d['action']} by ${d['user']}`;
    case 'OperatorCommandRejected': return `rejected: ${d['reason']}`;
    case 'TradingStateChanged': return `${d['from']}→${d['to']} by ${d['by']}`;
    case 'AlertRaised': return `raised ${d['code']}`;
    case 'AlertCleared': return `cleared ${d['alertSeq']}`;
    case 'AlertAcknowledged': return `acknowledged ${d['alertSeq']} by ${d['by']}`;
    default: return e.type;
  }
});

describe('applyOperatorCommands', () => {
  it('a command whose journaling failed stays in the channel and is taken at the next pass', async () => {
    const t = setUp();
    const id = t.write({});
    t.failNextAppend();
    await expect(t.apply()).rejects.toThrow(/disk full/);
    expect(t.files()).toEqual([`${id}.json`]);
    expect(await t.events()).toEqual([]);
    expect(await t.apply()).toBe(1);
    expect(summary(await t.events())).toEqual(['received kill-switch-engage by alice', 'ACTIVE→HALTED by user:alice', 'raised KILL_SWITCH']);
    expect(t.files()).toEqual([]);
  });

  it('a file left behind after its command was journaled (a crash before the removal) is removed, not applied twice', async () => {
    const t = setUp();
    const id = t.write({});
    const file = join(commandDirOf(t.journalPath), `${id}.json`);
    copyFileSync(file, `${file}.bak`);
    await t.apply();
    const before = await t.events();
    copyFileSync(`${file}.bak`, file);
    expect(await t.apply()).toBe(1);
    expect(await t.events()).toEqual(before);
    expect(t.files()).toEqual([]);
  });

  it('judges the commands of one pass in order: a release after an engagement, a second acknowledgement', async () => {
    const t = setUp();
    t.write({ user: 'alice', action: 'kill-switch-engage' }, NOW);
    t.write({ user: 'bob', action: 'kill-switch-release', why: 'false alarm' }, NOW + 1);
    expect(await t.apply()).toBe(2);
    const ev = await t.events();
    expect(summary(ev)).toEqual([
      'received kill-switch-engage by alice', 'ACTIVE→HALTED by user:alice',
      'received kill-switch-release by bob', 'HALTED→ACTIVE by user:bob',
    ]);
    // An alert raised and acknowledged twice in one pass: the second is refused.
    t.write({ user: 'alice', action: 'kill-switch-engage' }, NOW + 2);
    await t.apply();
    const alert = (await t.events()).find((e) => e.type === 'AlertRaised')!;
    t.write({ user: 'carol', action: 'alert-ack', target: alert.seq }, NOW + 3);
    t.write({ user: 'dave', action: 'alert-ack', target: alert.seq }, NOW + 4);
    await t.apply();
    expect(summary((await t.events()).slice(-3))).toEqual([
      'received alert-ack by carol', `acknowledged ${alert.seq} by carol`, `rejected: alert ${alert.seq} was already acknowledged by carol`,
    ]);
  });

  it('refuses a command older than five minutes, except engaging the kill switch', async () => {
    const t = setUp();
    t.write({ action: 'kill-switch-engage' }, NOW - 60 * 60_000);
    t.write({ user: 'bob', action: 'kill-switch-release' }, NOW - 6 * 60_000);
    await t.apply();
    expect(summary(await t.events())).toEqual([
      'received kill-switch-engage by alice', 'ACTIVE→HALTED by user:alice',
      `rejected: issued at ${new Date(NOW - 6 * 60_000).toISOString()}, more than 5 minutes ago: ask again`, 'raised KILL_SWITCH',
    ]);
  });
});
