import { createHash } from 'node:crypto';

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

/** Digests kept by fingerprint: many more than the sort specs and filter sets a server sees often. */
const KEPT_FINGERPRINTS = 1024;
/** Canonical JSON → its digest. Emptied whole when full: bounded memory, no per-hit bookkeeping. */
const fingerprints = new Map<string, string>();

/**
 * A short, stable digest of `value` (128 bits of SHA-256, base64url): not secret, only compact.
 * Every page signs cursors bound to the same few sort specs and filter sets, so the digest of a
 * canonical text is remembered rather than hashed again.
 */
export function fingerprint(value: unknown): string {
  const text = canonicalJson(value);
  let digest = fingerprints.get(text);
  if (digest === undefined) {
    digest = createHash('sha256').update(text).digest('base64url').slice(0, 22);
    if (fingerprints.size >= KEPT_FINGERPRINTS) fingerprints.clear();
    fingerprints.set(text, digest);
  }
  return digest;
}
