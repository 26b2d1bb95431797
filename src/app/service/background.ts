import { spawn } from 'node:child_process';
import { writeHeartbeat } from '../../adapters/commands/index.js';
import type { DataOf } from '../../domain/index.js';
import type { JournalWatch } from './journalWatch.js';
import { applyOperatorCommands } from './operator.js';
import type { ServiceLog } from './serviceLog.js';
import type { SlotContext } from './slots.js';

/**
 * What runs beside the schedule, every 250 ms of wall time: the operators' commands (a kill switch
 * is journaled and obeyed within a second, between steps or while a step waits for the broker),
 * the time-based alert rules, every `alerts.verifyEverySeconds` the re-verification of what was
 * appended since the last (`watch`), and every few seconds the heartbeat file the dashboard
 * watches. Each tick takes its turn with the steps (ServiceSession.exclusive).
 */
export function startBackground(ctx: SlotContext<unknown>, heartbeatSeconds: number | null, watch: JournalWatch): { stop(): Promise<void> } {
  const { s, o } = ctx;
  let busy: Promise<void> | null = null;
  let lastBeat = 0;
  let failed = false;
  const beatMs = Math.max(1, Math.min(heartbeatSeconds ?? 5, 5)) * 1000;
  const tick = () => {
    if (o.stop.aborted) return;
    if (!busy) {
      busy = s.exclusive(async () => {
        const st = s.stager();
        ctx.airgap?.sync(s, st, o.clock.now()); // the window opening or closing between steps; refused attempts
        await s.commit(st);
        await applyOperatorCommands(ctx.operator, s.stager());
        await s.commit(s.stager()); // time-based alert rules (a denial burst's window passing)
        await watch.tick(Date.now());
      }).catch((e: unknown) => {
        if (!failed) o.log.error(`operator commands: ${(e as Error).message}`);
        failed = true;
      }).finally(() => { busy = null; });
    }
    // Beats even while a step holds the session (waiting for the broker or the day's bars): the service is alive.
    if (heartbeatSeconds !== null && Date.now() - lastBeat >= beatMs) {
      lastBeat = Date.now();
      try {
        writeHeartbeat(o.journalPath, {
          pid: process.pid, at: new Date(lastBeat).toISOString(), clock: new Date(o.clock.now()).toISOString(), lastSeq: s.expected,
          day: s.lastStep?.day ?? null, step: s.lastStep?.step ?? null,
        });
      } catch (e) {
        o.log.warn(`cannot write the heartbeat file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
    }
  };
  const timer = setInterval(tick, 250);
  tick();
  return {
    async stop() {
      clearInterval(timer);
      await busy;
      watch.close(); // before the journal closes: its last connection removes the -wal and -shm files
    },
  };
}

/** alerts.exec: the command (no shell) run with each raised alert as JSON on stdin; a failure is logged, never fatal. */
export function alertExecHook(cmd: readonly string[], timeoutSeconds: number, journalPath: string, log: ServiceLog): (seq: number, a: DataOf<'AlertRaised'>) => void {
  return (seq, a) => {
    const child = spawn(cmd[0]!, cmd.slice(1), { stdio: ['pipe', 'ignore', 'pipe'], timeout: timeoutSeconds * 1000, killSignal: 'SIGKILL' });
    let err = '';
    child.stderr.on('data', (b: Buffer) => { if (err.length < 500) err += b.toString(); });
    child.on('error', (e) => log.warn(`alerts.exec ${cmd[0]} could not run: ${e.message}`));
    child.on('close', (code, signal) => {
      if (code !== 0) log.warn(`alerts.exec ${cmd[0]} ended with ${signal ?? `exit ${code}`} for alert ${seq}${err ? `: ${err.trim().split('\n')[0]}` : ''}`);
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(JSON.stringify({ id: seq, journal: journalPath, ...a }) + '\n');
  };
}

