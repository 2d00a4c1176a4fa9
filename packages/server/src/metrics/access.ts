import { createHash, timingSafeEqual } from 'node:crypto';
import { isIPv4 } from 'node:net';

/**
 * Who may read `/metrics`: `allowed`; `hidden` — answer as if there were no such route;
 * `unauthorized` — ask for the bearer token.
 */
export type MetricsAccess = 'allowed' | 'hidden' | 'unauthorized';

/** What the decision looks at. */
export interface MetricsRequest {
  /** The client's address (behind a trusted proxy, the one the proxy reports). */
  ip: string;
  /** The `Authorization` header, if any. */
  authorization: string | undefined;
}

const BEARER = /^Bearer[ ]+(\S+)[ ]*$/i;

/**
 * Decides a request for `/metrics`. Without a token the metrics are for this host only: loopback
 * clients get them and everyone else a 404. With one, any address may read them by sending it as
 * a bearer token, compared in constant time.
 *
 * @example
 * metricsAccess({ ip: '127.0.0.1', authorization: undefined }, ''); // 'allowed'
 * metricsAccess({ ip: '203.0.113.9', authorization: undefined }, ''); // 'hidden'
 * metricsAccess({ ip: '203.0.113.9', authorization: 'Bearer wrong' }, token); // 'unauthorized'
 */
export function metricsAccess(request: MetricsRequest, token: string): MetricsAccess {
  if (token === '') return isLoopback(request.ip) ? 'allowed' : 'hidden';
  const sent = BEARER.exec(request.authorization ?? '')?.[1];
  return sent !== undefined && sameSecret(sent, token) ? 'allowed' : 'unauthorized';
}

/** True for 127.0.0.0/8, ::1, and IPv4 loopback written as an IPv4-mapped IPv6 address. */
export function isLoopback(ip: string): boolean {
  const v4 = ip.toLowerCase().startsWith('::ffff:') ? ip.slice(7) : ip;
  if (isIPv4(v4)) return v4.startsWith('127.');
  return ip === '::1' || ip === '0:0:0:0:0:0:0:1';
}

/** Compares digests, so neither the content nor the length of the token leaks through timing. */
function sameSecret(sent: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(sent), digest(expected));
}
