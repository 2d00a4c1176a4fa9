import { createHash } from 'node:crypto';
import { boundedMemo } from '../bounded-memo.js';

/**
 * JSON with object keys sorted and `undefined` members dropped, so that two equal filter sets
 * give the same text whatever order their keys were written in.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalise(value)) ?? 'null';
}

function normalise(value: unknown): unknown {
  if (value instanceof Date) return value.getTime();
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : normalise(item)));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) out[key] = normalise(member);
    }
    return out;
  }
  return value;
}

/** Canonical JSON → its digest, for many more sort specs and filter sets than a server sees often. */
const digestOf = boundedMemo(1024, (text: string) =>
  createHash('sha256').update(text).digest('base64url').slice(0, 22),
);

/**
 * A short, stable digest of `value` (128 bits of SHA-256, base64url): not secret, only compact.
 * Every page signs cursors bound to the same few sort specs and filter sets, so the digest of a
 * canonical text is remembered rather than hashed again.
 */
export function fingerprint(value: unknown): string {
  return digestOf(canonicalJson(value));
}
