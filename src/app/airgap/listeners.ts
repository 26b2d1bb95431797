import { readFileSync } from 'node:fs';
import net from 'node:net';
import { endianness } from 'node:os';
import { formatEndpoint } from '../../domain/schedule/airgap.js';
import type { CheckResult } from './check.js';
import { tryTlsHandshake, type HandshakeResult } from './probes.js';

/** A listening TCP socket as the kernel lists it (Linux /proc/net/tcp{,6}). */
export interface TcpListener {
  /** Dotted IPv4, or IPv6 in its compressed form (`::`, `::1`, `::ffff:127.0.0.1`). */
  readonly address: string;
  readonly port: number;
  readonly uid: number;
}

const LISTEN = '0A';

/** One 32-bit word of /proc's hex address: printed in host byte order, so reversed on little-endian machines. */
const wordBytes = (hex8: string, littleEndian: boolean): number[] => {
  const bytes = [0, 2, 4, 6].map((i) => parseInt(hex8.slice(i, i + 2), 16));
  return littleEndian ? bytes.reverse() : bytes;
};

/** The address of a /proc/net/tcp(6) `local_address` hex field (`0100007F`, or 32 hex digits for IPv6). */
export function procHexAddress(hex: string, littleEndian = endianness() === 'LE'): string {
  if (hex.length === 8) return wordBytes(hex, littleEndian).join('.');
  const bytes = [0, 8, 16, 24].flatMap((i) => wordBytes(hex.slice(i, i + 8), littleEndian));
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return `::ffff:${bytes.slice(12).join('.')}`;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1); // the WHATWG serialiser compresses zeros
}

/** The listening sockets in the text of /proc/net/tcp or /proc/net/tcp6. */
export function parseProcNetTcp(text: string, littleEndian = endianness() === 'LE'): TcpListener[] {
  const out: TcpListener[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8 || f[3] !== LISTEN) continue;
    const [addrHex, portHex] = f[1]!.split(':');
    if (!addrHex || !portHex) continue;
    out.push({ address: procHexAddress(addrHex, littleEndian), port: parseInt(portHex, 16), uid: Number(f[7]) });
  }
  return out;
}

/** 127.0.0.0/8, ::1 and IPv4-mapped loopback: not reachable from another machine. */
export function isLoopbackAddress(a: string): boolean {
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a)?.[1] ?? (net.isIPv4(a) ? a : null);
  if (v4 !== null) return v4.startsWith('127.');
  return a === '::1';
}

/** Whether the socket listens on every address (0.0.0.0 or ::), so it is reached through loopback too. */
export const isWildcardAddress = (a: string): boolean => a === '0.0.0.0' || a === '::' || a === '::ffff:0.0.0.0';

/**
 * The listening TCP sockets of `uid`, deduplicated by address and port, or a sentence saying why
 * they cannot be listed (no /proc: not Linux).
 */
export function listTcpListeners(uid: number, procDir = '/proc/net'): TcpListener[] | string {
  const all: TcpListener[] = [];
  let readAny = false;
  for (const f of ['tcp', 'tcp6']) {
    try {
      all.push(...parseProcNetTcp(readFileSync(`${procDir}/${f}`, 'utf8')));
      readAny = true;
    } catch { /* tcp6 is absent when IPv6 is disabled */ }
  }
  if (!readAny) return `cannot read ${procDir}/tcp (the listeners check needs Linux's /proc)`;
  const seen = new Set<string>();
  return all.filter((l) => {
    const k = `${l.address}|${l.port}`;
    if (l.uid !== uid || seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Where to reach a listener from this machine: a wildcard one through loopback (IPv6 first for `::`). */
function probeHosts(l: TcpListener): string[] {
  if (l.address === '::') return ['::1', '127.0.0.1'];
  if (isWildcardAddress(l.address)) return ['127.0.0.1'];
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(l.address)?.[1];
  return [mapped ?? l.address];
}

async function handshake(l: TcpListener, timeoutMs: number): Promise<HandshakeResult> {
  let last: HandshakeResult = { kind: 'unreachable', code: 'NO_ADDRESS' };
  for (const host of probeHosts(l)) {
    last = await tryTlsHandshake(host, l.port, timeoutMs);
    if (last.kind !== 'unreachable') return last;
  }
  return last;
}

/**
 * `listeners`: every TCP socket `uid` listens on beyond loopback must speak TLS — a TLS handshake
 * to it (certificate unchecked) completes. A plain-text one fails, named; loopback ones are fine.
 * Call it with the egress guard disarmed (armed, it refuses the probes themselves).
 */
export async function listenersCheck(uid: number, timeoutMs: number): Promise<CheckResult> {
  const name = 'listeners';
  const all = listTcpListeners(uid);
  if (typeof all === 'string') return { name, ok: false, detail: all };
  const loopback = all.filter((l) => isLoopbackAddress(l.address));
  const exposed = all.filter((l) => !isLoopbackAddress(l.address));
  const probed = await Promise.all(exposed.map(async (l) => ({ l, h: await handshake(l, timeoutMs) })));
  const label = (l: TcpListener) => formatEndpoint(l.address, l.port);
  const plain = probed.flatMap(({ l, h }) => (h.kind === 'plain' ? [`${label(l)} (${h.why})`] : []));
  const unprobed = probed.flatMap(({ l, h }) => (h.kind === 'unreachable' && h.code !== 'ECONNREFUSED' ? [`${label(l)} (${h.code})`] : []));
  const gone = probed.flatMap(({ l, h }) => (h.kind === 'unreachable' && h.code === 'ECONNREFUSED' ? [label(l)] : []));
  const tls = probed.flatMap(({ l, h }) => (h.kind === 'tls' ? [`${label(l)} (${h.protocol})`] : []));
  const summary = [
    `${all.length} listening TCP socket(s) of uid ${uid}: ${loopback.length} on loopback`,
    ...(tls.length > 0 ? [`TLS beyond loopback: ${tls.join(', ')}`] : []),
    ...(gone.length > 0 ? [`closed since listed: ${gone.join(', ')}`] : []),
  ].join('; ');
  const problems = [
    ...(plain.length > 0 ? [`plain text on a non-loopback address: ${plain.join(', ')} — bind each to 127.0.0.1 or give it TLS`] : []),
    ...(unprobed.length > 0 ? [`could not be probed for TLS: ${unprobed.join(', ')}`] : []),
  ];
  return problems.length > 0 ? { name, ok: false, detail: `${problems.join('; ')} (${summary})` } : { name, ok: true, detail: summary };
}
