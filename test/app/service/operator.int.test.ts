import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isLeft } from 'fp-ts/lib/Either.js';
import { afterAll, describe, expect, it } from 'vitest';
import type { CommandBody, Heartbeat } from '../../../src/adapters/commands/index.js';
import { commandDirOf, derivedKey, readHeartbeat, writeCommand } from '../../../src/adapters/commands/index.js';
import type { JournalKey } from '../../../src/adapters/journal/index.js';
import type { RecordedEvent } from '../../../src/app/engine/replay.js';
import { readJournalFile } from '../../../src/app/journalio/index.js';
import { alertHook, ashare, repo, startAshare } from './serviceHarness.js';

// The operators' command channel against a real `ashare run` (the compiled CLI as a child process,
// a paper broker on a simulated clock running 7200 times faster than real time, so a trading day
// takes a few seconds of wall time and the service is still running when the test acts). The test
// is the dashboard: it writes signed command files beside the journal and reads the journal back
// read-only, as the dashboard does.
const work = mkdtempSync(join(tmpdir(), 'ashare-operator-'));
const keyFile = join(work, 'journal.key');
writeFileSync(keyFile, '5a'.repeat(32) + '\n', { mode: 0o600 });
const KEY: JournalKey = { kind: 'keyFile', path: keyFile };
const channelKey = (() => {
  const k = derivedKey(KEY, 'command-channel v1');
  if (isLeft(k) || k.right === null) throw new Error('no channel key');
  return k.right;
})();
const SPEED = 7200; // 2 simulated hours a second: 09:30 → 15:00 is 2.75 s, a day to the next is 12 s
/** The kill switch must be journaled within 1 s (the service looks every 250 ms); the margin is the CI machine's. */
const KILL_SWITCH_LATENCY_MS = 1500;

function config(name: string, edit: (yaml: string) => string, alerts: Record<string, unknown>): string {
  const p = join(work, `${name}.yaml`);
  const yaml = readFileSync(join(repo, 'config', 'paper.yaml'), 'utf8')
    .replace('risk: risk.yaml', `risk: ${join(repo, 'config', 'risk.yaml')}`)
    .replace(/pollSeconds: 60 /, 'pollSeconds: 1800') // fewer idle polls at this speed: the steps are what matters here
    .replace(/^alerts:.*\n(  .*\n)*/m, ''); // the example's own alerts section gives way to the test's
  writeFileSync(p, `${edit(yaml)}alerts: ${JSON.stringify(alerts)}\n`); // JSON is YAML's flow style
  return p;
}

type Ev<T extends RecordedEvent['type']> = Extract<RecordedEvent, { type: T }>;
const ofType = <T extends RecordedEvent['type']>(events: readonly RecordedEvent[], type: T): Ev<T>[] =>
  events.filter((e): e is Ev<T> => e.type === type);

/** The journal as a reader sees it: read-only, new events only at each look. */
function journalReader(path: string) {
  const events: RecordedEvent[] = [];
  return {
    events,
    async sync(): Promise<RecordedEvent[]> {
      if (!existsSync(path)) return events;
      const r = await readJournalFile(path, KEY, { fromSeq: (events.at(-1)?.seq ?? 0) + 1 });
      if (isLeft(r) && events.length === 0) return events; // the service is still creating the file (and keying it)
      if (isLeft(r)) throw new Error(r.left.message);
      events.push(...r.right);
      return events;
    },
  };
}

type Run = ReturnType<typeof startAshare>;
const runs: Run[] = [];
afterAll(() => {
  for (const r of runs) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
});

/** Polls `probe` until it returns something truthy; fails naming `what` (and the service's output) after `ms`. */
async function waitFor<T>(run: Run, what: string, probe: () => Promise<T | undefined | null | false> | T | undefined | null | false, ms: number, every = 25): Promise<T> {
  let exited = false;
  void run.done.then(() => { exited = true; });
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (exited) throw new Error(`the service exited while waiting for ${what}: ${(await run.done).err}`);
    if (Date.now() > end) throw new Error(`no ${what} within ${ms} ms`);
    await sleep(every);
  }
}

type Cmd = Omit<CommandBody, 'v' | 'commandId'>;
const command = (user: string, action: Cmd['action'], target: number | null = null, why = 'test'): Cmd =>
  ({ user, action, target, why, issuedAt: new Date().toISOString() });
const commandFiles = (journal: string) => (existsSync(commandDirOf(journal)) ? readdirSync(commandDirOf(journal)) : []);

/**
 * Writes several commands and publishes them together (renamed into the channel within microseconds
 * of each other), so the service takes them in one pass, in this order.
 */
function publishTogether(journal: string, cmds: readonly Cmd[]): string[] {
  const stage = join(work, `stage-${randomBytes(4).toString('hex')}`);
  const t = Date.now();
  const ids = cmds.map((c, i) => writeCommand(stage, channelKey, c, t + i));
  for (const id of ids) renameSync(join(commandDirOf(stage), `${id}.json`), join(commandDirOf(journal), `${id}.json`));
  return ids;
}

const received = (events: readonly RecordedEvent[], id: string) => ofType(events, 'OperatorCommandReceived').find((e) => e.data.commandId === id);
const rejectedOf = (events: readonly RecordedEvent[], id: string) => ofType(events, 'OperatorCommandRejected').find((e) => e.data.commandId === id);

/** Orders approved or at the broker before `seq` and not ended by then. */
function openOrdersBefore(events: readonly RecordedEvent[], seq: number): { approved: Set<string>; working: Set<string> } {
  const approved = new Set<string>(), working = new Set<string>();
  for (const e of events) {
    if (e.seq >= seq) break;
    if (e.type === 'OrderApproved') approved.add(e.data.orderId);
    else if (e.type === 'OrderSubmitted') { approved.delete(e.data.orderId); working.add(e.data.orderId); }
    else if ((e.type === 'OrderFilled' && e.data.leavesQty === 0) || e.type === 'OrderCancelled' || e.type === 'OrderExpired' || e.type === 'OrderRejected') {
      approved.delete(e.data.orderId);
      working.delete(e.data.orderId);
    }
  }
  return { approved, working };
}

/** alice engages the kill switch; resolves with the command id, the TradingStateChanged it caused and how long it took to be journaled. */
async function engageKillSwitch(run: Run, j: ReturnType<typeof journalReader>, journal: string, why = 'test') {
  const t0 = Date.now();
  const id = writeCommand(journal, channelKey, command('alice', 'kill-switch-engage', null, why), Date.now());
  const halt = await waitFor(run, 'the kill switch in the journal', async () => {
    const ev = await j.sync();
    const r = received(ev, id);
    return r && ofType(ev, 'TradingStateChanged').find((e) => e.seq > r.seq);
  }, 5_000, 10);
  return { id, halt, latency: Date.now() - t0 };
}

describe('ashare run: the operators\' command channel', () => {
  it('kill switch within a second (cancels, no order sent while HALTED), forged commands refused, acknowledgements, release, heartbeat, alerts.exec', async () => {
    const journal = join(work, 'run.sqlite');
    const hook = alertHook(work);
    const cfg = config('run', (y) => y, { heartbeatSeconds: 1, exec: hook.exec });
    const run = startAshare(work, ['run', '--config', cfg, '--key-file', keyFile, '--journal', journal, '--clock', `sim:2022-03-02T08:00:00+08:00:${SPEED}`]);
    runs.push(run);
    const j = journalReader(journal);
    const timings: Record<string, number> = {};

    // Wednesday 2 March: the three orders decided after the close of the 1st go to the paper broker at 09:30 and work until its close at 15:00.
    await waitFor(run, 'the release of 2022-03-02', async () => ofType(await j.sync(), 'StepCompleted').some((e) => e.data.day === '2022-03-02' && e.data.step === 'release'), 20_000);

    // (e) The heartbeat names this process and is fresh.
    const beat1 = await waitFor(run, 'a heartbeat', () => { const h = readHeartbeat(journal); return h && h.lastSeq > 0 ? h : null; }, 5_000);
    expect(beat1.pid).toBe(run.child.pid);
    expect(Date.now() - Date.parse(beat1.at)).toBeLessThan(3_000);
    expect(statSync(`${journal}.heartbeat`).mode & 0o777).toBe(0o600);

    // (a) alice engages the kill switch while orders are working at the broker.
    const { id: engage, halt, latency: engageMs } = await engageKillSwitch(run, j, journal);
    expect(statSync(commandDirOf(journal)).mode & 0o777).toBe(0o700);
    timings['killSwitchMs'] = engageMs;
    expect(timings['killSwitchMs'], 'kill switch journaled too late').toBeLessThanOrEqual(KILL_SWITCH_LATENCY_MS);
    const engaged = received(j.events, engage)!;
    expect(engaged.data).toEqual({ commandId: engage, user: 'alice', action: 'kill-switch-engage', target: null, why: 'test', issuedAt: expect.any(String) });
    expect(halt.data).toMatchObject({ from: 'ACTIVE', to: 'HALTED', by: 'user:alice', why: 'test', day: '2022-03-02' });
    // The alert rules see the change in the same transaction: KILL_SWITCH comes after every cancel the engagement asks for.
    const killAlert = await waitFor(run, 'the KILL_SWITCH alert', async () => ofType(await j.sync(), 'AlertRaised').find((e) => e.data.code === 'KILL_SWITCH'), 3_000);
    expect(killAlert.seq).toBeGreaterThan(halt.seq);
    expect(killAlert.data).toMatchObject({ level: 'critical', day: '2022-03-02' });
    expect(killAlert.data.message).toContain('user:alice');
    const open = openOrdersBefore(j.events, engaged.seq);
    expect(open.working.size + open.approved.size, 'nothing was working when the kill switch was engaged: the test proves nothing').toBeGreaterThan(0);
    const cancelRequests = ofType(j.events, 'OrderCancelRequested').filter((e) => e.seq > engaged.seq && e.seq < killAlert.seq);
    expect(new Set(cancelRequests.map((e) => e.data.orderId))).toEqual(open.working);
    for (const c of cancelRequests) expect(c.data.reason).toBe('KILL_SWITCH');
    const cancelledOutright = ofType(j.events, 'OrderCancelled').filter((e) => e.seq > engaged.seq && e.seq < killAlert.seq);
    expect(new Set(cancelledOutright.map((e) => e.data.orderId))).toEqual(open.approved);
    for (const c of cancelledOutright) expect(c.data).toMatchObject({ reason: 'KILL_SWITCH', by: 'user:alice' });
    // The file goes once its outcome is durable.
    await waitFor(run, 'the engage command file to go', () => !commandFiles(journal).includes(`${engage}.json`), 2_000);

    // (f) alerts.exec ran with the alert on stdin, its id the seq of its AlertRaised.
    const hooked = await waitFor(run, 'the alerts.exec output', () => {
      const lines = hook.heard();
      return lines.some((l) => l['code'] === 'KILL_SWITCH') ? lines : null;
    }, 8_000);
    expect(hooked.find((l) => l['code'] === 'KILL_SWITCH')).toEqual({
      id: killAlert.seq, journal, code: 'KILL_SWITCH', level: 'critical', day: '2022-03-02', message: killAlert.data.message,
    });

    // (b) Commands not signed with this journal's key are journaled as refused and never acted on.
    const forged = writeCommand(journal, randomBytes(32), command('mallory', 'kill-switch-release'), Date.now());
    const unsigned = writeCommand(journal, null, command('mallory', 'kill-switch-release'), Date.now());
    await waitFor(run, 'the forged commands refused', async () => { const ev = await j.sync(); return rejectedOf(ev, forged) && rejectedOf(ev, unsigned); }, 3_000);
    for (const id of [forged, unsigned]) {
      expect(rejectedOf(j.events, id)!.data.reason).toBe(`${id}.json is not signed with this journal's key`);
      expect(received(j.events, id)).toBeUndefined();
    }
    await waitFor(run, 'the forged command files to go', () => !commandFiles(journal).some((f) => f.startsWith(forged) || f.startsWith(unsigned)), 2_000);

    // (d) Acknowledgements, several taken in one pass: the first acknowledges, the others are judged after it.
    const [ack, ackAgain, ackUnknown, ackNoTarget, reconAck] = publishTogether(journal, [
      command('carol', 'alert-ack', killAlert.seq, 'on it'),
      command('dave', 'alert-ack', killAlert.seq),
      command('erin', 'alert-ack', 999_999),
      command('frank', 'alert-ack', null),
      command('grace', 'reconciliation-ack', killAlert.seq),
    ]) as [string, string, string, string, string];
    await waitFor(run, 'the acknowledgements journaled', async () => { const ev = await j.sync(); return [ack, ackAgain, ackUnknown, ackNoTarget, reconAck].every((id) => received(ev, id) || rejectedOf(ev, id)); }, 3_000);
    const acked = ofType(j.events, 'AlertAcknowledged');
    expect(acked.map((e) => e.data)).toEqual([{ alertSeq: killAlert.seq, by: 'carol', commandId: ack }]);
    expect(acked[0]!.seq).toBeGreaterThan(received(j.events, ack)!.seq);
    expect(rejectedOf(j.events, ackAgain)?.data.reason).toBe(`alert ${killAlert.seq} was already acknowledged by carol`);
    expect(rejectedOf(j.events, ackUnknown)?.data.reason).toBe('no alert 999999 in this journal');
    expect(rejectedOf(j.events, ackNoTarget)?.data.reason).toBe("alert-ack needs the alert's id");
    expect(rejectedOf(j.events, reconAck)?.data.reason).toBe(`alert ${killAlert.seq} is KILL_SWITCH, not a reconciliation break`);
    for (const id of [ackAgain, ackUnknown, ackNoTarget, reconAck]) expect(received(j.events, id)).toBeUndefined();
    // A condition alert stays active after its acknowledgement: trading is still HALTED.
    expect(ofType(j.events, 'AlertCleared')).toEqual([]);

    // (e) The heartbeat goes on.
    const beat2 = await waitFor(run, 'a later heartbeat', () => { const h = readHeartbeat(journal); return h && h.at > beat1.at && h.lastSeq > beat1.lastSeq ? h : null; }, 5_000);
    expect(beat2.pid).toBe(run.child.pid);

    // Several trading days on: nothing goes to the broker while HALTED (the run sent orders on 3 and 4 March without the switch).
    await waitFor(run, 'the release of 2022-03-04', async () => ofType(await j.sync(), 'StepCompleted').some((e) => e.data.day === '2022-03-04' && e.data.step === 'release'), 40_000);
    const afterHalt = j.events.filter((e) => e.seq > halt.seq);
    expect(ofType(afterHalt, 'OrderSubmitted')).toEqual([]);
    expect(ofType(afterHalt, 'OrderApproved')).toEqual([]);
    const denied = ofType(afterHalt, 'OrderDenied');
    expect(denied.length, 'the strategy asked for no order while HALTED: the test proves nothing').toBeGreaterThan(0);
    for (const d of denied) expect(d.data.reason).toBe('TRADING_HALTED');
    expect(ofType(afterHalt, 'StepCompleted').filter((e) => e.data.step === 'release').map((e) => [e.data.day, e.data.note]))
      .toEqual([['2022-03-03', '0 order(s) released to paper'], ['2022-03-04', '0 order(s) released to paper']]);
    // Every order working at the switch was cancelled by the broker on the kill switch's request, none filled.
    for (const id of open.working) {
      expect(ofType(afterHalt, 'OrderFilled').filter((e) => e.data.orderId === id)).toEqual([]);
      expect(ofType(afterHalt, 'OrderCancelled').filter((e) => e.data.orderId === id).map((e) => [e.data.reason, e.data.by])).toEqual([['KILL_SWITCH', 'broker']]);
    }
    expect(ofType(j.events, 'TradingStateChanged').map((e) => e.seq)).toEqual([halt.seq]); // no forged release took effect

    // (c) bob releases the kill switch: ACTIVE again by user:bob, and the KILL_SWITCH alert is cleared.
    const release = writeCommand(journal, channelKey, command('bob', 'kill-switch-release', null, 'checked'), Date.now());
    const active = await waitFor(run, 'the release in the journal', async () => {
      const ev = await j.sync();
      const r = received(ev, release);
      return r && ofType(ev, 'TradingStateChanged').find((e) => e.seq > r.seq);
    }, 3_000);
    expect(received(j.events, release)!.data).toMatchObject({ user: 'bob', action: 'kill-switch-release', target: null, why: 'checked' });
    expect(active.data).toMatchObject({ from: 'HALTED', to: 'ACTIVE', by: 'user:bob', why: 'checked' });
    const cleared = await waitFor(run, 'the KILL_SWITCH alert cleared', async () => ofType(await j.sync(), 'AlertCleared').find((e) => e.data.alertSeq === killAlert.seq), 3_000);
    expect(cleared.data.code).toBe('KILL_SWITCH');
    expect(cleared.seq).toBeGreaterThan(active.seq);
    // Nothing left to release: refused.
    const releaseAgain = writeCommand(journal, channelKey, command('bob', 'kill-switch-release'), Date.now());
    const refused = await waitFor(run, 'the second release refused', async () => rejectedOf(await j.sync(), releaseAgain), 3_000);
    expect(refused.data.reason).toBe('trading is ACTIVE, not HALTED: nothing to release');
    // Every alert the hook heard of is an AlertRaised of the journal under that id.
    for (const l of hook.heard() as { id: number; code: string }[]) {
      expect(j.events.find((e) => e.seq === l.id)).toMatchObject({ type: 'AlertRaised', data: { code: l.code } });
    }
    // Each command's file is removed once its events are committed (and the anchor updated): a moment after the journal shows them.
    await waitFor(run, 'the command channel emptied', async () => commandFiles(journal).filter((f) => f.endsWith('.json')).length === 0, 3_000);

    run.child.kill('SIGTERM');
    const exit = await run.done;
    expect(exit.code, exit.err).toBe(0);
    expect(ofType(await j.sync(), 'ServiceStopped').map((e) => e.data.reason)).toEqual(['SIGNAL']);
    expect(ashare(work, ['journal', 'verify', journal, '--key-file', keyFile]).code).toBe(0);
    // Every operator decision is re-decided from the recorded command: the audit and the replay agree with the journal.
    const audit = ashare(work, ['audit', '--journal', journal, '--key-file', keyFile, '--json']);
    expect(audit.code, audit.out + audit.err).toBe(0);
    const replay = ashare(work, ['replay', '--journal', journal, '--all', '--key-file', keyFile]);
    expect(replay.code, replay.out + replay.err).toBe(0);
    console.log(`operator channel: kill switch journaled ${timings['killSwitchMs']} ms after the command was written`);
  }, 60_000);

  it('kill switch between the decision and the release: the approved orders are cancelled outright and never sent', async () => {
    const journal = join(work, 'approved.sqlite');
    // From the close of Tuesday 1 March: its after-close step approves three orders for the 2nd; the night is 4.4 s at this speed.
    const run = startAshare(work, ['run', '--config', config('approved', (y) => y, { heartbeatSeconds: 1 }), '--key-file', keyFile, '--journal', journal, '--clock', 'sim:2022-03-01T15:00:00+08:00:14400']);
    runs.push(run);
    const j = journalReader(journal);
    await waitFor(run, 'the after-close step of 2022-03-01', async () => ofType(await j.sync(), 'StepCompleted').some((e) => e.data.day === '2022-03-01' && e.data.step === 'afterclose'), 20_000);
    const { id: engage, halt, latency } = await engageKillSwitch(run, j, journal, 'stop before the open');
    expect(latency, 'kill switch journaled too late').toBeLessThanOrEqual(KILL_SWITCH_LATENCY_MS);
    expect(halt.data).toMatchObject({ from: 'ACTIVE', to: 'HALTED', by: 'user:alice', why: 'stop before the open', day: '2022-03-01' });
    const killAlert = await waitFor(run, 'the KILL_SWITCH alert', async () => ofType(await j.sync(), 'AlertRaised').find((e) => e.data.code === 'KILL_SWITCH'), 3_000);
    const open = openOrdersBefore(j.events, received(j.events, engage)!.seq);
    expect(open.working.size).toBe(0);
    expect(open.approved.size, 'nothing was approved when the kill switch was engaged: the test proves nothing').toBeGreaterThan(0);
    const cancelled = ofType(j.events, 'OrderCancelled').filter((e) => e.seq > halt.seq && e.seq < killAlert.seq);
    expect(new Set(cancelled.map((e) => e.data.orderId))).toEqual(open.approved);
    for (const c of cancelled) expect(c.data).toMatchObject({ reason: 'KILL_SWITCH', by: 'user:alice' });
    expect(ofType(j.events, 'OrderCancelRequested')).toEqual([]);

    await waitFor(run, 'the release of 2022-03-02', async () => ofType(await j.sync(), 'StepCompleted').some((e) => e.data.day === '2022-03-02' && e.data.step === 'release'), 20_000);
    expect(ofType(j.events, 'OrderSubmitted')).toEqual([]);
    expect(ofType(j.events, 'StepCompleted').find((e) => e.data.day === '2022-03-02' && e.data.step === 'release')!.data.note).toBe('0 order(s) released to paper');
    run.child.kill('SIGTERM');
    const exit = await run.done;
    expect(exit.code, exit.err).toBe(0);
    const audit = ashare(work, ['audit', '--journal', journal, '--key-file', keyFile, '--json']);
    expect(audit.code, audit.out + audit.err).toBe(0);
    console.log(`operator channel (before the open): kill switch journaled ${latency} ms after the command was written`);
  }, 40_000);

  it('while a step waits for an external broker: the kill switch is obeyed within a second and the heartbeat goes on', async () => {
    const bridge = join(work, 'bridge');
    mkdirSync(bridge);
    const journal = join(work, 'bridge.sqlite');
    // No terminal answers: the release waits brokerTimeoutSeconds for acknowledgements that never come.
    const cfg = config('bridge', (y) => y.replace(/^broker:\n(  .*\n)+/m, `broker:\n  kind: file-bridge\n  dir: ${bridge}\n`).replace('brokerTimeoutSeconds: 30', 'brokerTimeoutSeconds: 20'), { heartbeatSeconds: 1 });
    const run = startAshare(work, ['run', '--config', cfg, '--key-file', keyFile, '--journal', journal, '--clock', 'sim:2022-03-02T08:00:00+08:00:max']);
    runs.push(run);
    const j = journalReader(journal);
    const submitted = await waitFor(run, 'the orders handed to the bridge', async () => {
      const s = ofType(await j.sync(), 'OrderSubmitted');
      return s.length > 0 && s.every((o) => existsSync(join(bridge, 'out', `${o.data.clientOrderId}.order.csv`))) ? s : null;
    }, 20_000);
    const stepDone = () => ofType(j.events, 'StepCompleted').some((e) => e.data.day === '2022-03-02' && e.data.step === 'release');

    const { id: engage, halt, latency } = await engageKillSwitch(run, j, journal);
    expect(latency, 'kill switch journaled too late').toBeLessThanOrEqual(KILL_SWITCH_LATENCY_MS);
    expect(halt.data).toMatchObject({ to: 'HALTED', by: 'user:alice' });
    expect(stepDone(), 'the release step ended before the kill switch: it was not taken while the step waited').toBe(false);
    const requests = ofType(j.events, 'OrderCancelRequested');
    expect(requests.map((e) => [e.data.orderId, e.data.reason]).sort()).toEqual(submitted.map((o) => [o.data.orderId, 'KILL_SWITCH']).sort());
    await waitFor(run, 'the cancel files', () => submitted.every((o) => existsSync(join(bridge, 'out', `${o.data.clientOrderId}.cancel.csv`))), 3_000);

    // The service beats while the step waits for the broker (a dashboard must not take a waiting service for a dead one).
    const beats = new Set<string>();
    const watchUntil = Date.now() + 2_600;
    while (Date.now() < watchUntil) {
      const h: Heartbeat | null = readHeartbeat(journal);
      if (h) beats.add(h.at);
      await sleep(100);
    }
    await j.sync();
    expect(stepDone(), 'the release step ended: the heartbeat was not watched during a wait').toBe(false);
    expect(beats.size, `heartbeats seen while the release step waited: ${[...beats].join(', ')}`).toBeGreaterThanOrEqual(2);
    expect(Date.now() - Math.max(...[...beats].map((b) => Date.parse(b)))).toBeLessThan(2_500);

    run.child.kill('SIGTERM');
    const exit = await run.done;
    expect(exit.code, exit.err).toBe(0);
    const ev = await j.sync();
    expect(ofType(ev, 'ServiceStopped').map((e) => e.data.reason)).toEqual(['SIGNAL']);
    // Stopped by a signal, not by the broker's silence: no BROKER_TIMEOUT alert claims it waited the full timeout.
    expect(ofType(ev, 'AlertRaised').map((e) => e.data.code)).not.toContain('BROKER_TIMEOUT');
    console.log(`operator channel (broker wait): kill switch journaled ${latency} ms after the command was written`);
  }, 40_000);
});
