import test from 'ava';
import { ProductInputSchema, ProductListQuerySchema, ProductPatchSchema } from '../src/index.js';

test('price allows at most 2 decimals and 0–1e9', (t) => {
  const ok = (price: number) => ProductInputSchema.safeParse({ name: 'n', category: 'c', price }).success;
  t.true(ok(0));
  t.true(ok(19.99));
  t.true(ok(999_999_999.99));
  t.true(ok(1e9));
  t.false(ok(1.001));
  t.false(ok(0.1 + 0.2));
  t.false(ok(-0.01));
  t.false(ok(1e9 + 0.01));
  t.false(ok(Number.NaN));
});

test('rating is 0–5 with one decimal, or null; omitted means null', (t) => {
  t.is(ProductInputSchema.parse({ name: 'n', category: 'c', price: 1 }).rating, null);
  t.is(ProductInputSchema.parse({ name: 'n', category: 'c', price: 1, rating: 4.5 }).rating, 4.5);
  t.false(ProductInputSchema.safeParse({ name: 'n', category: 'c', price: 1, rating: 4.55 }).success);
  t.false(ProductInputSchema.safeParse({ name: 'n', category: 'c', price: 1, rating: 5.1 }).success);
});

test('names are trimmed and must keep 1–200 characters', (t) => {
  t.is(ProductInputSchema.parse({ name: '  a  ', category: 'c', price: 1 }).name, 'a');
  t.false(ProductInputSchema.safeParse({ name: '   ', category: 'c', price: 1 }).success);
  t.false(ProductInputSchema.safeParse({ name: 'x'.repeat(201), category: 'c', price: 1 }).success);
});

test('patch needs at least one known field', (t) => {
  t.false(ProductPatchSchema.safeParse({}).success);
  t.false(ProductPatchSchema.safeParse({ colour: 'red' }).success);
  t.true(ProductPatchSchema.safeParse({ rating: null }).success);
});

test('list query coerces query-string numbers and applies defaults', (t) => {
  const q = ProductListQuerySchema.parse({ min_price: '1.50', limit: '5', include_deleted: 'true' });
  t.like(q, { min_price: 1.5, limit: 5, include_deleted: true, sort_by: 'created_at', sort_order: 'desc' });
});

test('list query rejects malformed numbers, unknown parameters and inverted price ranges, one error per field', (t) => {
  const result = ProductListQuerySchema.safeParse({ min_price: 'abc', limit: '0', colour: 'red', sort_by: 'weight' });
  t.false(result.success);
  const paths = result.error!.issues.map((i) => i.path.join('.') || i.message);
  t.true(paths.includes('min_price'));
  t.true(paths.includes('limit'));
  t.true(paths.includes('sort_by'));
  t.true(result.error!.issues.some((i) => i.code === 'unrecognized_keys'));
  const inverted = ProductListQuerySchema.safeParse({ min_price: '10', max_price: '5' });
  t.deepEqual(
    inverted.error?.issues.map((i) => i.path.join('.')),
    ['min_price'],
  );
  t.false(ProductListQuerySchema.safeParse({ min_price: '' }).success, 'an empty number is not 0');
  t.false(ProductListQuerySchema.safeParse({ limit: '2.5' }).success);
});

test('NUL characters are refused in every client string', (t) => {
  t.false(ProductInputSchema.safeParse({ name: 'a\u0000b', category: 'c', price: 1 }).success);
  t.false(ProductInputSchema.safeParse({ name: 'a', category: '\u0000', price: 1 }).success);
  t.false(ProductListQuerySchema.safeParse({ search: 'x\u0000' }).success);
  t.false(ProductListQuerySchema.safeParse({ cursor: '\u0000' }).success);
});
