import { formatExchangeTime } from '../../domain/index.js';

/** The service's log: one line per entry on stdout, human-readable or JSON (`--json-log`). Never secrets. */
export interface ServiceLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** `at` is the service clock's time (simulated on a sim clock), so a log lines up with the journal. */
export function createServiceLog(json: boolean, now: () => number, write: (line: string) => void = (l) => process.stdout.write(l)): ServiceLog {
  const line = (level: string, message: string) => {
    const at = formatExchangeTime(now(), true);
    write(json ? JSON.stringify({ at, level, message }) + '\n' : `${at} ${level.padEnd(5)} ${message}\n`);
  };
  return { info: (m) => line('info', m), warn: (m) => line('warn', m), error: (m) => line('error', m) };
}

export const silentLog: ServiceLog = { info: () => undefined, warn: () => undefined, error: () => undefined };
