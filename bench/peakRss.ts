/**
 * Preload for the full-market bench (bench/fullMarket.ts): `node --import <abs path>/dist/bench/peakRss.js …`.
 * When the process exits (normally, by process.exit or by an uncaught error), writes its peak resident
 * set size, `process.resourceUsage().maxRSS` in KiB, to the file named by ASHARE_BENCH_RSS_FILE.
 * Without that variable it does nothing. It loads nothing but node:fs, so the measured program is unchanged.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.ASHARE_BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    try {
      writeFileSync(file, `${process.resourceUsage().maxRSS}\n`);
    } catch {
      // The bench reports a missing file; an exit handler must not throw.
    }
  });
}
