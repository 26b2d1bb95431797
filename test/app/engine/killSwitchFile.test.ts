import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { killSwitchFile, killSwitchFileProblem } from '../../../src/app/engine/killSwitchFile.js';

// The kill switch fails safe: whatever stops the file from being read as a request halts trading.
// Only an explicit `{}` asks for nothing.
const dir = mkdtempSync(join(tmpdir(), 'ashare-killswitch-'));
const DAY = '2024-03-01';
const halted = (path: string) => [expect.objectContaining({ to: 'HALTED', by: 'kill-switch-file', why: expect.stringContaining(path) })];

describe('the kill switch file', () => {
  it('a path that does not exist halts (it is never "no request")', () => {
    const path = join(dir, 'never-written.yaml');
    const r = killSwitchFile(path)(DAY);
    expect(r).toEqual(halted(path));
    expect(r[0]!.why).toContain('does not exist');
    expect(r[0]!.why).toContain('halted to be safe');
  });

  it('a file deleted during the run halts from the next read on', () => {
    const path = join(dir, 'deleted.yaml');
    writeFileSync(path, '{}\n');
    const read = killSwitchFile(path);
    expect(read(DAY)).toEqual([]);
    rmSync(path);
    expect(read('2024-03-04')).toEqual(halted(path));
  });

  it('a path that cannot be read (a folder) halts', () => {
    const path = join(dir, 'a-folder');
    mkdirSync(path);
    expect(killSwitchFile(path)(DAY)).toEqual(halted(path));
  });

  it('an empty file halts and says how to ask for nothing', () => {
    const path = join(dir, 'empty.yaml');
    writeFileSync(path, '');
    const r = killSwitchFile(path)(DAY);
    expect(r).toEqual(halted(path));
    expect(r[0]!.why).toContain('write {}');
  });

  it('a malformed request halts, naming the field', () => {
    const path = join(dir, 'paused.yaml');
    writeFileSync(path, 'to: PAUSED\nby: alice\nwhy: test\n');
    const r = killSwitchFile(path)(DAY);
    expect(r).toEqual(halted(path));
    expect(r[0]!.why).toContain('to:');
  });

  it('a request signed as the engine (risk:*) or as the re-activation policy (policy:*) halts, saying why', () => {
    for (const [by, says] of [['risk:maxDrawdown', 'risk:* names'], ['policy:afterDays', 'policy:* names']] as const) {
      const path = join(dir, `${by.replace(':', '-')}.yaml`);
      writeFileSync(path, `to: ACTIVE\nby: "${by}"\nwhy: back to work\n`);
      const r = killSwitchFile(path)(DAY);
      expect(r).toEqual(halted(path));
      expect(r[0]!.why).toContain(says);
    }
  });

  it('{} asks for nothing; a request is passed on as written', () => {
    const none = join(dir, 'none.yaml');
    writeFileSync(none, '{}\n');
    expect(killSwitchFile(none)(DAY)).toEqual([]);
    const halt = join(dir, 'halt.yaml');
    writeFileSync(halt, 'to: HALTED\nby: alice\nwhy: broker outage\n');
    expect(killSwitchFile(halt)(DAY)).toEqual([{ to: 'HALTED', by: 'alice', why: 'broker outage' }]);
  });

  it('start-up check: a missing or unreadable path is a problem, a readable file is not', () => {
    expect(killSwitchFileProblem(join(dir, 'nope.yaml'))).toContain('does not exist');
    expect(killSwitchFileProblem(join(dir, 'a-folder'))).toContain('not a file');
    expect(killSwitchFileProblem(join(dir, 'none.yaml'))).toBeNull();
  });
});
