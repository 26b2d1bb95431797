import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// This file is <root>/src/adapters/workerUrl.ts, or <root>/dist/src/adapters/workerUrl.js once built.
const ownSrc = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = basename(dirname(ownSrc)) === 'dist' ? dirname(dirname(ownSrc)) : dirname(ownSrc);

/**
 * The compiled worker script `name` (e.g. 'verifyWorker.js') beside the module at `moduleUrl`. A
 * worker thread runs JavaScript only: when the caller runs from source (a .ts module, as under
 * vitest), this is the build's copy under dist/ (npm test builds before it tests), so the threaded
 * paths are the ones tested. Callers fall back to their own thread when the file does not exist.
 */
export function workerUrl(name: string, moduleUrl: string): URL {
  if (!moduleUrl.endsWith('.ts')) return new URL(`./${name}`, moduleUrl);
  const rel = relative(join(root, 'src'), dirname(fileURLToPath(moduleUrl)));
  return pathToFileURL(join(root, 'dist', 'src', rel, name));
}
