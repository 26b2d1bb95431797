import { describe, expect, it } from 'vitest';
import { isLoopbackAddress, isWildcardAddress, parseProcNetTcp, procHexAddress } from '../../../src/app/airgap/listeners.js';

// /proc/net/tcp{,6} print each 32-bit word of an address in host byte order: on a little-endian
// machine 127.0.0.1 is 0100007F. The listeners check reads them to find what this user listens on.
const HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
const row = (local: string, st: string, uid: number) => `   0: ${local} 00000000:0000 ${st} 00000000:00000000 00:00000000 00000000  ${uid}        0 12345 1 0000000000000000 100 0 0 10 0\n`;

describe('the listeners of /proc/net/tcp', () => {
  it('decodes IPv4 and IPv6 addresses as a little-endian kernel prints them', () => {
    expect(procHexAddress('0100007F', true)).toBe('127.0.0.1');
    expect(procHexAddress('00000000', true)).toBe('0.0.0.0');
    expect(procHexAddress('0202000A', true)).toBe('10.0.2.2');
    expect(procHexAddress('00000000000000000000000000000000', true)).toBe('::');
    expect(procHexAddress('00000000000000000000000001000000', true)).toBe('::1');
    expect(procHexAddress('0000000000000000FFFF00000100007F', true)).toBe('::ffff:127.0.0.1');
    expect(procHexAddress('000000FD000000000000000002000000', true)).toBe('fd00::2');
  });

  it('and as a big-endian one does', () => {
    expect(procHexAddress('7F000001', false)).toBe('127.0.0.1');
    expect(procHexAddress('00000000000000000000000000000001', false)).toBe('::1');
  });

  it('keeps listening sockets only (state 0A), with their port and owner', () => {
    const text = HEADER + row('0100007F:1F41', '0A', 1000) + row('00000000:0050', '0A', 0) + row('0100007F:A1B2', '01', 1000);
    expect(parseProcNetTcp(text, true)).toEqual([{ address: '127.0.0.1', port: 8001, uid: 1000 }, { address: '0.0.0.0', port: 80, uid: 0 }]);
  });

  it('tells loopback and wildcard addresses', () => {
    for (const a of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) expect(isLoopbackAddress(a), a).toBe(true);
    for (const a of ['0.0.0.0', '::', '10.0.2.2', 'fd00::2', '::ffff:10.0.0.1']) expect(isLoopbackAddress(a), a).toBe(false);
    for (const a of ['0.0.0.0', '::', '::ffff:0.0.0.0']) expect(isWildcardAddress(a), a).toBe(true);
    expect(isWildcardAddress('127.0.0.1')).toBe(false);
  });
});
