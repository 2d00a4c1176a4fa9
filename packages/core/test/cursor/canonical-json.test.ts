import { createHash } from 'node:crypto';
import test from 'ava';
import { canonicalJson, fingerprint } from '../../src/cursor/canonical-json.js';

const digestOf = (value: unknown) => createHash('sha256').update(canonicalJson(value)).digest('base64url').slice(0, 22);

test('a remembered fingerprint is the digest of the canonical text, whatever the key order', (t) => {
  const filters = { category: 'kitchen', min_price: 1000 };
  t.is(fingerprint(filters), digestOf(filters));
  t.is(fingerprint({ min_price: 1000, category: 'kitchen' }), digestOf(filters));
  t.not(fingerprint({ category: 'kitchen', min_price: 1001 }), fingerprint(filters));
});

test('fingerprints stay right past the number remembered (the memory is emptied, not wrong)', (t) => {
  const values = Array.from({ length: 2500 }, (_, i) => ({ search: `term ${i}`, k: [i, `id-${i}`] }));
  for (const value of values) t.is(fingerprint(value), digestOf(value));
  for (const value of values.slice(0, 50)) t.is(fingerprint(value), digestOf(value));
});
