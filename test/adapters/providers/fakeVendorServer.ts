import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake answers: a status and body, or `hang` (read the request, never answer). */
export type FakeAnswer = { readonly status?: number; readonly body: string; readonly contentType?: string } | 'hang';

export interface SeenRequest { readonly raw: string; readonly body: Record<string, unknown> }

export interface FakeServer {
  readonly url: string;
  readonly requests: SeenRequest[];
  close(): Promise<void>;
}

/** A vendor stand-in on 127.0.0.1, an ephemeral port; `answer` sees each POSTed JSON body in order. */
export async function startFakeServer(answer: (body: Record<string, unknown>, n: number) => FakeAnswer): Promise<FakeServer> {
  const requests: SeenRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => { raw += c; });
    req.on('end', () => {
      let body: Record<string, unknown> = {};
      try { body = JSON.parse(raw) as Record<string, unknown>; } catch { /* recorded raw only */ }
      requests.push({ raw, body });
      const a = answer(body, requests.length - 1);
      if (a === 'hang') return;
      res.writeHead(a.status ?? 200, { 'content-type': a.contentType ?? 'application/json; charset=utf-8' });
      res.end(a.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/** A clock that only moves when slept on: the limiter and backoff run in fake time, and every sleep is recorded. */
export function fakeTime(start = 0): { now: () => number; sleep: (ms: number) => Promise<void>; slept: number[] } {
  let t = start;
  const slept: number[] = [];
  return { now: () => t, sleep: async (ms) => { slept.push(ms); t += ms; }, slept };
}

/** `{code: 0, data: {fields, items}}`, the Tushare Pro success shape (§11.1). */
export const tushareOk = (fields: string[], items: unknown[][]): FakeAnswer => ({ body: JSON.stringify({ code: 0, msg: '', data: { fields, items } }) });
export const tushareErr = (code: number, msg: string): FakeAnswer => ({ body: JSON.stringify({ code, msg, data: null }) });
export const text = (body: string, status = 200): FakeAnswer => ({ body, status, contentType: 'text/plain; charset=utf-8' });

/** Weekdays from `from` to `to` (YYYY-MM-DD, inclusive): the fakes' trading days. */
export function weekdays(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    const d = new Date(t);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) out.push(d.toISOString().slice(0, 10));
  }
  return out;
}
export const compact = (d: string): string => d.replace(/-/g, '');
export const dashed = (d: string): string => `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
