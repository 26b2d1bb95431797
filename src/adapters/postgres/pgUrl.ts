/*
 * Reading `postgres://` URLs without loading the driver (the CLI checks every --journal with these).
 * A URL is shown only through `redactUrl`: its password never reaches output, logs or errors.
 */

/** True for a `postgres://` or `postgresql://` URL (anything else is a journal file path). */
export const isPostgresUrl = (s: string): boolean => /^postgres(ql)?:\/\//i.test(s);

/** The URL with its password replaced by `***`: the only form of a URL that may be printed or logged. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    // Not parseable: hide everything up to the last "@" (user and password alike; a password may hold "@").
    return url.replace(/^([a-z]+:\/\/).*@/i, '$1***@');
  }
}

/** Where to connect, as it may be shown: `host:port/database` (no user, no password). */
export function describeServer(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || 'localhost'}:${u.port || '5432'}${u.pathname || '/'}`;
  } catch {
    return 'the PostgreSQL server';
  }
}

/**
 * Splits our own query parameters (e.g. `journal=NAME`) off a URL, so only what the driver knows is
 * passed to it. Returns the driver's URL and the parameters taken off.
 */
export function takeParams(url: string, names: readonly string[]): { url: string; params: Map<string, string> } {
  const params = new Map<string, string>();
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { url, params };
  }
  for (const n of names) {
    const v = u.searchParams.get(n);
    if (v !== null) params.set(n, v);
    u.searchParams.delete(n);
  }
  return { url: u.toString(), params };
}

