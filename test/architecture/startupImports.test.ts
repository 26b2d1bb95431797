import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// What every command loads at start-up: the static import graph of the CLI's entry. The KurrentDB
// client opens sockets when it is loaded (an AF_NETLINK socket even for `ashare demo`), so it must
// only be loaded by code that selected KurrentDB — never statically from the CLI.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const IMPORT_RE = /^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm;

function staticGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>(), packages = new Set<string>();
  const stack = [entry];
  while (stack.length > 0) {
    const f = stack.pop()!;
    if (files.has(f)) continue;
    files.add(f);
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(IMPORT_RE)) {
      const spec = m[1] ?? m[2]!;
      if (/^import\s+type\s/.test(m[0].trim()) || /^export\s+type\s/.test(m[0].trim())) continue; // erased at compile time
      if (spec.startsWith('.')) {
        const ts = resolve(dirname(f), spec.replace(/\.js$/, '.ts'));
        if (existsSync(ts)) stack.push(ts);
      } else if (!spec.startsWith('node:')) {
        packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
      }
    }
  }
  return { files, packages };
}

describe('start-up imports', () => {
  it('the CLI does not load the KurrentDB client unless KurrentDB is selected', () => {
    // main.ts loads each command's module when that command runs (import('./commands/…')): what a
    // command loads at start is main's graph plus its own module's.
    const main = join(root, 'src', 'app', 'cli', 'main.ts');
    const loadedBy = (file: string, re: RegExp) => [...readFileSync(file, 'utf8').matchAll(re)]
      .map((m) => resolve(dirname(file), m[1]!.replace(/\.js$/, '.ts')));
    const commands = loadedBy(main, /import\('(\.\/commands\/[^']+)'\)/g);
    // A command may load its subcommands the same way (`journal verify` → ./journalVerify.js).
    for (const c of [...commands]) commands.push(...loadedBy(c, /import\('(\.\/[^']+)'\)/g).filter((f) => !commands.includes(f)));
    expect(commands.some((f) => f.endsWith('journalVerify.ts'))).toBe(true);
    expect(new Set(commands).size).toBeGreaterThan(10); // every command is found
    const files = new Set<string>(), packages = new Set<string>();
    for (const entry of [main, ...commands]) {
      const g = staticGraph(entry);
      expect(g.packages, entry).not.toContain('@kurrent/kurrentdb-client');
      for (const f of g.files) files.add(f);
      for (const p of g.packages) packages.add(p);
    }
    expect(files.size).toBeGreaterThan(50); // the walk really followed the graph
    expect(packages).toContain('better-sqlite3-multiple-ciphers');
  });
});
