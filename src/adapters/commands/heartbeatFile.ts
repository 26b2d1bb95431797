import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../fs/atomicFiles.js';
import { z } from 'zod';

/**
 * `<journal>.heartbeat`: a running service rewrites it every few seconds (wall time), so a reader
 * (the dashboard) can tell a live service from a silent one without the journal growing by a
 * heartbeat event every few seconds. Holds no positions or money: only where the service is.
 */
export const Heartbeat = z.strictObject({
  pid: z.number().int().positive(),
  /** Wall time of this beat, ISO 8601. */
  at: z.string().min(1),
  /** The service clock's instant (simulated on a sim clock), ISO 8601. */
  clock: z.string().min(1),
  lastSeq: z.number().int().nonnegative(),
  day: z.string().nullable(),
  step: z.string().nullable(),
});
export type Heartbeat = z.infer<typeof Heartbeat>;

export const heartbeatPathOf = (journalPath: string): string => `${journalPath}.heartbeat`;

export function writeHeartbeat(journalPath: string, h: Heartbeat): void {
  const path = heartbeatPathOf(journalPath);
  const tmp = `${path}.${h.pid}.tmp`;
  writeFileAtomic(path, tmp, JSON.stringify(h) + '\n', 0o600);
}

/** The last beat, or null when there is none or it does not parse. */
export function readHeartbeat(journalPath: string): Heartbeat | null {
  try {
    const p = Heartbeat.safeParse(JSON.parse(readFileSync(heartbeatPathOf(journalPath), 'utf8')));
    return p.success ? p.data : null;
  } catch {
    return null;
  }
}
