/** One point of a parameter grid: config path → value. */
export type GridPoint = Readonly<Record<string, number | string>>;

export type GridParse = { ok: true; keys: string[]; points: GridPoint[] } | { ok: false; message: string };

const KEY_RE = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/;

/**
 * Parses `fast=5,10,20;slow=60,120` into the cartesian product of its axes, in the order written
 * (the last axis varies fastest). A bare key (`fast`) means `strategy.params.fast`; a dotted key
 * (`portfolio.maxPositions`) is a config path. Numbers stay numbers.
 */
export function parseGrid(spec: string, maxPoints = 10_000): GridParse {
  const axes: [string, (number | string)[]][] = [];
  for (const part of spec.split(';').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) return { ok: false, message: `grid axis ${JSON.stringify(part)} needs the form key=v1,v2` };
    const raw = part.slice(0, eq).trim();
    if (!KEY_RE.test(raw)) return { ok: false, message: `grid key ${JSON.stringify(raw)} is not a config key` };
    const key = raw.includes('.') ? raw : `strategy.params.${raw}`;
    if (axes.some(([k]) => k === key)) return { ok: false, message: `grid key ${key} appears twice` };
    const values = part.slice(eq + 1).split(',').map((v) => v.trim()).filter((v) => v !== '');
    if (values.length === 0) return { ok: false, message: `grid axis ${key} has no values` };
    axes.push([key, values.map((v) => (/^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v))]);
  }
  if (axes.length === 0) return { ok: false, message: 'the grid is empty; write e.g. fast=5,10;slow=60,120' };
  const total = axes.reduce((n, [, v]) => n * v.length, 1);
  if (total > maxPoints) return { ok: false, message: `the grid has ${total} points, more than ${maxPoints}` };
  let points: GridPoint[] = [{}];
  for (const [key, values] of axes) points = points.flatMap((p) => values.map((v) => ({ ...p, [key]: v })));
  return { ok: true, keys: axes.map(([k]) => k), points };
}

/** `base` with each dotted path of `point` set (a deep copy; `base` is not touched). */
export function applyPoint(base: unknown, point: GridPoint): Record<string, unknown> {
  const out = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
  for (const [path, value] of Object.entries(point)) {
    const parts = path.split('.');
    let o: Record<string, unknown> = out;
    for (const p of parts.slice(0, -1)) {
      if (typeof o[p] !== 'object' || o[p] === null) o[p] = {};
      o = o[p] as Record<string, unknown>;
    }
    o[parts[parts.length - 1]!] = value;
  }
  return out;
}

/** A short, file-name-safe label of a grid point: `fast-5_slow-60`. */
export const pointLabel = (p: GridPoint): string =>
  Object.entries(p).map(([k, v]) => `${k.split('.').pop()}-${v}`).join('_').replace(/[^A-Za-z0-9_.-]/g, '');
