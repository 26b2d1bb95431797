import { createServer, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../../../src/app/engine/replay.js';
import { DashboardModel } from '../../../src/app/dashboard/readModel.js';
import { ashare, journalEvents, makeDesk } from '../dashboard/dashboardHarness.js';
import { startAshare } from './serviceHarness.js';

// ashare run on a sim clock with the air gap on and its own data update: scheduled inside the
// window the update cannot reach its provider (a local server that counts connections: none
// arrive), the attempt is journaled as EgressBlocked with its caller and alerted, and the day
// trades on the data already there; scheduled after the window, the same update reaches it.
const desk = makeDesk('ashare-airgap-svc-');
let server: Server;
let connections = 0;
let port = 0;

beforeAll(async () => {
  server = createServer((_q, r) => { r.writeHead(200, { 'content-type': 'application/json' }); r.end('{"code":-1,"msg":"test provider","data":null}'); });
  server.on('connection', () => { connections++; });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  port = (server.address() as { port: number }).port;
  writeFileSync(join(desk.work, 'data.yaml'), [
    'store:', '  path: store.sqlite', 'journal: data-journal.sqlite',
    'providers:', '  primary: tushare', '  backup: null', `  tushare: {url: "http://127.0.0.1:${port}", tokenEnv: AIRGAP_TEST_TOKEN, callsPerMinute: 500}`, '  timeoutMs: 2000',
    'update: {time: "17:30", firstDay: 2022-01-04}', '',
  ].join('\n'));
});

afterAll(() => new Promise<void>((res) => server.close(() => res())));

const config = (name: string, updateAt: string) => desk.config(name, [
  'airgap:', '  enabled: true', '  window: "09:00-15:30"', '  allow: []',
  'dataUpdate:', `  time: "${updateAt}"`, '  config: data.yaml', '',
].join('\n'));

/** The run as a child process, awaited (not spawnSync: this process serves the provider meanwhile). */
async function run(cfg: string, journal: string) {
  const r = startAshare(desk.work, ['run', '--config', cfg, '--key-file', desk.keyFile, '--journal', journal,
    '--clock', 'sim:2022-03-01T08:00:00+08:00:max', '--until', '2022-03-03T08:00:00+08:00'], { AIRGAP_TEST_TOKEN: 'test-token' });
  return r.done;
}

describe('ashare run with airgap: and a data update', () => {
  it('an update scheduled inside the window is refused before any packet leaves, journaled with its caller, alerted; the days trade as usual', async () => {
    connections = 0;
    const journal = join(desk.work, 'inside.sqlite');
    const r = await run(config('inside', '10:00'), journal);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/dataUpdate.time 10:00 is inside the air-gap window/);
    expect(connections).toBe(0);
    const ev = await journalEvents(journal, desk.key);
    const of = <T extends RecordedEvent['type']>(t: T) => ev.filter((e): e is Extract<RecordedEvent, { type: T }> => e.type === t);
    const armed = of('AirgapArmed');
    expect(armed.map((e) => e.day)).toEqual(['2022-03-01', '2022-03-02']);
    expect(armed[0]!.data).toEqual({ day: '2022-03-01', window: '09:00-15:30', allow: [] });
    expect(of('AirgapDisarmed').map((e) => e.day)).toEqual(['2022-03-01', '2022-03-02']);
    const blocked = of('EgressBlocked');
    expect(blocked.length).toBeGreaterThan(0);
    expect(blocked[0]!.data).toMatchObject({ target: `127.0.0.1:${port}`, kind: 'connect', caller: 'data update (dataUpdate.time 10:00)' });
    // Inside the window: after AirgapArmed, before AirgapDisarmed of the same day.
    expect(blocked[0]!.seq).toBeGreaterThan(armed[0]!.seq);
    expect(blocked[0]!.seq).toBeLessThan(of('AirgapDisarmed')[0]!.seq);
    const alert = of('AlertRaised').find((e) => e.data.code === 'EGRESS_BLOCKED');
    expect(alert?.data.message).toContain(`127.0.0.1:${port}`);
    const updates = of('DataUpdateRan');
    expect(updates.map((e) => [e.day, e.data.ok])).toEqual([['2022-03-01', false], ['2022-03-02', false]]);
    expect(updates[0]!.data.detail).toMatch(/refused inside the air-gap window 09:00-15:30.*trades on the data already stored/);
    // The days traded normally: every step of 1 and 2 March completed, orders released and filled.
    const steps = of('StepCompleted').map((e) => `${e.day} ${e.data.step}`);
    for (const d of ['2022-03-01', '2022-03-02']) for (const s of ['preopen', 'release', 'close', 'reconcile', 'afterclose']) expect(steps).toContain(`${d} ${s}`);
    expect(of('OrderFilled').length).toBeGreaterThan(0);
    const audit = ashare(desk.work, ['audit', '--journal', journal, '--key-file', desk.keyFile]);
    expect(audit.code, audit.out + audit.err).toBe(0);
    // ashare run status and the dashboard's overview say what the journal says about the air gap.
    const status = JSON.parse(ashare(desk.work, ['run', 'status', '--journal', journal, '--key-file', desk.keyFile, '--json']).out);
    expect(status.airgap).toMatchObject({ enabled: true, window: '09:00-15:30', armed: false, blocked: blocked.length });
    expect(status.airgap.lastBlocked).toContain(`127.0.0.1:${port}`);
    const model = new DashboardModel();
    for (const e of ev) model.apply(e);
    expect(model.airgap).toMatchObject({ enabled: true, armed: false, blocked: blocked.length, allow: [] });
    const midWindow = new DashboardModel();
    for (const e of ev.filter((x) => x.seq <= blocked[0]!.seq)) midWindow.apply(e);
    expect(midWindow.airgap.armed).toBe(true);
  }, 120_000);

  it('the same update after the window reaches its provider; only its idle keep-alive connection is closed when the next window opens', async () => {
    connections = 0;
    const journal = join(desk.work, 'after.sqlite');
    const r = await run(config('after', '17:30'), journal);
    expect(r.code, r.err).toBe(0);
    expect(connections).toBeGreaterThan(0);
    const ev = await journalEvents(journal, desk.key);
    // No new connection was refused; a keep-alive connection the update left open is closed when the next window opens.
    for (const b of ev.filter((e) => e.type === 'EgressBlocked')) expect((b.data as { caller: string }).caller).toMatch(/opened before the air gap was armed/);
    const updates = ev.filter((e) => e.type === 'DataUpdateRan');
    expect(updates.length).toBe(2);
    expect((updates[0]!.data as { detail: string }).detail).not.toMatch(/air-gap/);
  }, 120_000);
});
