/*
 * A network endpoint as the air-gapped mode's allow list names it. Kept apart from airgap.ts (and its
 * zod schema) because the egress guard, which every command loads first, needs only this.
 */

export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

const ENDPOINT_RE = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/;

/** Parses `host:port` or `[v6]:port` (host lower-cased); a string is the reason it is not one. */
export function parseEndpoint(s: string): Endpoint | string {
  const m = ENDPOINT_RE.exec(s.trim());
  if (!m) return `${JSON.stringify(s)} is not host:port (an IPv6 address in brackets: [::1]:443)`;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return `${JSON.stringify(s)}: port ${port} is outside 1–65535`;
  return { host: (m[1] ?? m[2]!).toLowerCase(), port };
}

export const formatEndpoint = (host: string, port: number | string): string => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);
