import test from 'ava';
import { createHmac } from 'node:crypto';
import { createCursorCodec, type CursorBinding, type CursorState, type SortKey } from '../../src/cursor/index.js';
import { InvalidCursorError } from '../../src/errors.js';

const SECRET = 'codec-test-secret-codec-test-secret-0123456789';
const codec = createCursorCodec(SECRET);

const sort = (direction: 'asc' | 'desc', field = 'rating_tenths'): SortKey[] => [
  { field, direction, type: 'number', nullable: true },
  { field: 'id', direction, type: 'string' },
];
const binding: CursorBinding = { sort: sort('desc'), filters: { category: 'books', min_price: 100 } };
const state: CursorState = { travel: 'next', values: [45, '01900000-0000-7000-8000-00000000abcd'], inclusive: false };
const token = codec.encode(state, binding);

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const messages = {
  malformed: InvalidCursorError.malformed().message,
  altered: InvalidCursorError.altered().message,
  otherSort: InvalidCursorError.otherSort().message,
  otherFilters: InvalidCursorError.otherFilters().message,
};

test('a cursor decodes to the state it was issued for', (t) => {
  t.deepEqual(codec.decode(token, binding), state);
  const dated: CursorBinding = {
    sort: [
      { field: 'created_at', direction: 'asc', type: 'date' },
      { field: 'id', direction: 'asc', type: 'string' },
    ],
    filters: {},
  };
  const back: CursorState = {
    travel: 'prev',
    values: [Date.UTC(2026, 0, 2, 3, 4, 5, 678), 'ü😀\u0000"'],
    inclusive: true,
  };
  t.deepEqual(codec.decode(codec.encode(back, dated), dated), back);
  const unrated: CursorState = { travel: 'next', values: [null, 'x'], inclusive: false };
  t.deepEqual(codec.decode(codec.encode(unrated, binding), binding), unrated);
});

test('a cursor is plain base64url (safe in a query string unescaped)', (t) => {
  t.regex(token, /^[A-Za-z0-9_-]+$/);
});

test('filters are compared by value, not by how their keys were written', (t) => {
  t.deepEqual(
    codec.decode(token, { ...binding, filters: { min_price: 100, category: 'books', search: undefined } }),
    state,
  );
});

test('every single-character change of a cursor is rejected', (t) => {
  let variants = 0;
  for (let i = 0; i < token.length; i++) {
    for (const c of `${ALPHABET}.=+/% é`) {
      if (c === token[i]) continue;
      const changed = token.slice(0, i) + c + token.slice(i + 1);
      const error = t.throws(() => codec.decode(changed, binding), { instanceOf: InvalidCursorError });
      t.is(error?.code, 'invalid_cursor');
      variants++;
    }
  }
  t.true(variants > 64 * token.length);
});

test('every single-byte change of the decoded cursor is rejected as altered or malformed', (t) => {
  const bytes = Buffer.from(token, 'base64url');
  for (let i = 0; i < bytes.length; i++) {
    for (const mask of [0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0xff]) {
      const changed = Buffer.from(bytes);
      changed[i]! ^= mask;
      const error = t.throws(() => codec.decode(changed.toString('base64url'), binding), {
        instanceOf: InvalidCursorError,
      });
      t.true(error?.message === messages.altered || error?.message === messages.malformed, error?.message);
    }
  }
});

test('a cursor cut short or extended is rejected', (t) => {
  for (let length = 0; length < token.length; length++) {
    t.throws(() => codec.decode(token.slice(0, length), binding), { instanceOf: InvalidCursorError });
  }
  for (const c of ALPHABET) t.throws(() => codec.decode(token + c, binding), { instanceOf: InvalidCursorError });
});

test('text that is not a cursor is malformed', (t) => {
  for (const text of [
    '',
    'abc',
    'not a cursor',
    '%%%',
    'e30',
    Buffer.from('{"v":1}').toString('base64url'),
    'A'.repeat(5000),
  ]) {
    t.throws(
      () => codec.decode(text, binding),
      { instanceOf: InvalidCursorError, message: messages.malformed },
      text.slice(0, 20),
    );
  }
});

test('a cursor signed with another secret is altered', (t) => {
  const foreign = createCursorCodec(`${SECRET}-other`).encode(state, binding);
  t.throws(() => codec.decode(foreign, binding), { instanceOf: InvalidCursorError, message: messages.altered });
});

test('the signing key is derived for cursors, not the secret itself (which also signs tokens)', (t) => {
  const json = Buffer.from(token, 'base64url').subarray(32);
  const withRawSecret = Buffer.concat([createHmac('sha256', SECRET).update(json).digest(), json]).toString('base64url');
  t.throws(() => codec.decode(withRawSecret, binding), { instanceOf: InvalidCursorError, message: messages.altered });
  const derived = createHmac('sha256', SECRET).update('catalog-cursor-v1').digest();
  const expected = Buffer.concat([createHmac('sha256', derived).update(json).digest(), json]).toString('base64url');
  t.is(expected, token);
});

test('a cursor reused with another sort key or direction says it was issued for another sort', (t) => {
  for (const other of [
    sort('asc'),
    sort('desc', 'price_cents'),
    [{ ...sort('desc')[0]!, nullable: false }, sort('desc')[1]!],
  ]) {
    t.throws(() => codec.decode(token, { ...binding, sort: other }), {
      instanceOf: InvalidCursorError,
      message: messages.otherSort,
    });
  }
});

test('a cursor reused with other filters says it was issued for other filters', (t) => {
  for (const filters of [
    {},
    { category: 'toys', min_price: 100 },
    { category: 'books' },
    { category: 'books', min_price: 100, max_price: 200 },
  ]) {
    t.throws(() => codec.decode(token, { ...binding, filters }), {
      instanceOf: InvalidCursorError,
      message: messages.otherFilters,
    });
  }
});

test('a signed cursor whose values do not fit the sort spec is malformed', (t) => {
  const bad: unknown[][] = [[45], [45, 'x', 1], ['45', 'x'], [45, 7], [null, null], [0, {}]];
  for (const values of bad) {
    const forged = codec.encode({ ...state, values: values as CursorState['values'] }, binding);
    t.throws(
      () => codec.decode(forged, binding),
      { instanceOf: InvalidCursorError, message: messages.malformed },
      JSON.stringify(values),
    );
  }
  const dated: CursorBinding = {
    sort: [
      { field: 'created_at', direction: 'asc', type: 'date' },
      { field: 'id', direction: 'asc', type: 'string' },
    ],
    filters: {},
  };
  const fractional = codec.encode({ ...state, values: [1.5, 'x'] }, dated);
  t.throws(() => codec.decode(fractional, dated), { instanceOf: InvalidCursorError, message: messages.malformed });
});

test('an empty secret is refused', (t) => {
  t.throws(() => createCursorCodec(''), { instanceOf: TypeError });
});
