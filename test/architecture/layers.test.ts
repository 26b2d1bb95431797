import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Dependency direction: domain ← projections ← adapters ← app. The core stays pure: no IO
// libraries, no wall clock, no randomness (those arrive through ports).
const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'src');
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
const importsOf = (src: string): string[] => [...src.matchAll(/^\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);

const LAYER_ORDER = ['domain', 'projections', 'adapters', 'app'] as const;
const layerOf = (file: string): number => LAYER_ORDER.indexOf(relative(root, file).split('/')[0] as (typeof LAYER_ORDER)[number]);
const IO_MODULES = /^(node:)?(fs|fs\/promises|net|http|https|child_process|worker_threads|dgram|tls)$|^(better-sqlite3.*|fastify|openai|undici|@kurrent\/.*|@eventstore\/.*|yaml)$/;

describe('layering', () => {
  const all = files(root);

  it('finds the four layers', () => {
    for (const l of LAYER_ORDER) expect(all.some((f) => relative(root, f).startsWith(`${l}/`))).toBe(true);
  });

  it('no module imports from an outer layer', () => {
    const bad: string[] = [];
    for (const f of all) {
      const mine = layerOf(f);
      for (const spec of importsOf(readFileSync(f, 'utf8'))) {
        if (!spec.startsWith('.')) continue;
        const target = layerOf(join(f, '..', spec));
        if (target > mine) bad.push(`${relative(root, f)} imports ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('domain and projections import no IO library', () => {
    const bad: string[] = [];
    for (const f of all.filter((x) => layerOf(x) <= 1)) {
      for (const spec of importsOf(readFileSync(f, 'utf8'))) if (IO_MODULES.test(spec)) bad.push(`${relative(root, f)} imports ${spec}`);
    }
    expect(bad).toEqual([]);
  });

  it('domain and projections read no wall clock and no randomness', () => {
    const bad: string[] = [];
    for (const f of all.filter((x) => layerOf(x) <= 1)) {
      readFileSync(f, 'utf8').split('\n').forEach((line, i) => {
        const isComment = /^\s*(\*|\/\/|\/\*)/.test(line);
        if (!isComment && /Date\.now\(|new Date\(\)|Math\.random\(|randomUUID\(|randomBytes\(/.test(line)) bad.push(`${relative(root, f)}:${i + 1}`);
      });
    }
    expect(bad).toEqual([]);
  });

  it('the import scanner sees imports (guards against a vacuous pass)', () => {
    expect(importsOf("import { a } from '../x.js';\nexport * from './y.js';")).toEqual(['../x.js', './y.js']);
  });
});
