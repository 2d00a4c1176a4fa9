import test from 'ava';
import fc from 'fast-check';
import { MAX_PRICE, PRODUCT_LIMITS, ProductInputSchema } from '@catalog/contract';
import { plainProductInput } from '../../src/products/plain-product-input.js';

/** The shortcut never disagrees with the schema: a result only where the schema gives the same one. */
function agrees(
  t: { deepEqual(a: unknown, b: unknown, m?: string): void; fail(m?: string): void },
  input: unknown,
): boolean {
  const plain = plainProductInput(input);
  const parsed = ProductInputSchema.safeParse(input);
  if (plain === undefined) return false;
  if (!parsed.success) t.fail(`accepted what the schema refuses: ${JSON.stringify(input)}`);
  else t.deepEqual(plain, parsed.data, JSON.stringify(input));
  return true;
}

test('plainProductInput accepts ordinary valid inputs exactly as ProductInputSchema parses them', (t) => {
  const inputs = [
    { name: 'Tea', category: 'drinks', price: 3.5, rating: 4.2 },
    { name: '  padded  ', category: ' c ', price: 0, rating: null },
    { name: 'no rating', category: 'c', price: MAX_PRICE },
    { name: 'x'.repeat(200), category: 'y'.repeat(100), price: 0.01, rating: 5 },
    { name: 'zero', category: 'c', price: 0, rating: 0 },
    { name: 'with sku', category: 'c', price: 1, sku: 'ABC-123_x/9' },
    { name: 'null sku', category: 'c', price: 1, sku: null },
    Object.assign(Object.create(null) as object, { name: 'null prototype', category: 'c', price: 1 }),
  ];
  for (const input of inputs) t.true(agrees(t, input), JSON.stringify(input));
});

test('plainProductInput leaves every other input to the schema', (t) => {
  const inputs: unknown[] = [
    null,
    'text',
    [1],
    new Date(),
    {},
    { name: 'Tea', category: 'drinks', price: 1, colour: 'red' },
    { name: '', category: 'c', price: 1 },
    { name: '   ', category: 'c', price: 1 },
    { name: 'x'.repeat(201), category: 'c', price: 1 },
    { name: 'n', category: 'y'.repeat(101), price: 1 },
    { name: 'nul\u0000', category: 'c', price: 1 },
    { name: 1, category: 'c', price: 1 },
    { name: 'n', category: 'c' },
    { name: 'n', category: 'c', price: '1' },
    { name: 'n', category: 'c', price: -1 },
    { name: 'n', category: 'c', price: -0.001 },
    { name: 'n', category: 'c', price: MAX_PRICE + 0.01 },
    { name: 'n', category: 'c', price: 1.001 },
    { name: 'n', category: 'c', price: Number.NaN },
    { name: 'n', category: 'c', price: Number.POSITIVE_INFINITY },
    { name: 'n', category: 'c', price: 1, rating: 5.1 },
    { name: 'n', category: 'c', price: 1, rating: 4.25 },
    { name: 'n', category: 'c', price: 1, rating: -0.1 },
    { name: 'n', category: 'c', price: 1, rating: '3' },
    { name: 'n', category: 'c', price: 1, sku: '' },
    { name: 'n', category: 'c', price: 1, sku: 'has space' },
    { name: 'n', category: 'c', price: 1, sku: 'x'.repeat(PRODUCT_LIMITS.skuMax + 1) },
    { name: 'n', category: 'c', price: 1, sku: 7 },
  ];
  for (const input of inputs) {
    t.is(plainProductInput(input), undefined, JSON.stringify(input));
    t.false(ProductInputSchema.safeParse(input).success, JSON.stringify(input));
  }
});

test('plainProductInput agrees with the schema on prices and ratings across their range', (t) => {
  let accepted = 0;
  let tried = 0;
  // Every cent up to 10 000.00, then a spread of larger and odd values (x.xx5, 1/3, float sums).
  const prices = [
    ...Array.from({ length: 1_000_001 }, (_, k) => k / 100),
    0.1 + 0.2,
    1 / 3,
    123456789.125,
    999999999.99,
    999999999.995,
    0.005,
    2.675,
    1.005,
  ];
  for (let i = 0; i < prices.length; i += i < 2000 ? 1 : 97) {
    tried++;
    if (agrees(t, { name: 'n', category: 'c', price: prices[i], rating: null })) accepted++;
  }
  for (let r = 0; r <= 60; r++) {
    for (const rating of [r / 10, r / 10 + 0.01, (r * 0.1) as number]) {
      tried++;
      if (agrees(t, { name: 'n', category: 'c', price: 1, rating })) accepted++;
    }
  }
  // The shortcut takes nearly everything valid (otherwise it saves nothing).
  t.true(accepted > tried * 0.8, `${accepted} of ${tried}`);
});

/** Strings near every rule's edge: empty, blank, padded, at and past the length limits, NUL, non-ASCII. */
const edgyText = (max: number) =>
  fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.constantFrom('', ' ', ' a ', '\u0000', 'é', 'x'.repeat(max), ` ${'x'.repeat(max)} `, 'x'.repeat(max + 1)),
    fc.string({ unit: 'grapheme', maxLength: 4 }),
  );
const edgyNumber = fc.oneof(
  fc.double({ min: -1, max: PRODUCT_LIMITS.priceMax + 1, noNaN: false }),
  fc.integer({ min: -5, max: 1000 }).map((n) => n / 100),
  fc.integer({ min: 0, max: 60 }).map((n) => n / 10),
  fc.constantFrom(0, 5, 5.05, 0.1 + 0.2, PRODUCT_LIMITS.priceMax, Number.NaN, Number.POSITIVE_INFINITY, -0),
);
const anyValue = fc.oneof(edgyText(10), edgyNumber, fc.constantFrom(null, undefined, true, [], {}));

test('plainProductInput agrees with the schema on random inputs', (t) => {
  // Mostly plausible values, so that both sides of the shortcut are reached often.
  const plausible = <T>(likely: fc.Arbitrary<T>, other: fc.Arbitrary<unknown>) =>
    fc.oneof({ weight: 4, arbitrary: likely }, { weight: 1, arbitrary: other });
  const input = fc.record(
    {
      name: plausible(fc.string({ minLength: 1, maxLength: 30 }), fc.oneof(edgyText(PRODUCT_LIMITS.nameMax), anyValue)),
      category: plausible(fc.string({ minLength: 1, maxLength: 30 }), edgyText(PRODUCT_LIMITS.categoryMax)),
      price: plausible(
        fc.integer({ min: 0, max: 10_000_000 }).map((n) => n / 100),
        edgyNumber,
      ),
      rating: plausible(
        fc.integer({ min: 0, max: 50 }).map((n) => n / 10),
        fc.oneof(edgyNumber, anyValue),
      ),
      sku: plausible(fc.stringMatching(/^[!-~]{1,70}$/), fc.oneof(edgyText(PRODUCT_LIMITS.skuMax), anyValue)),
    },
    { requiredKeys: ['name', 'category', 'price'] },
  );
  let accepted = 0;
  fc.assert(
    fc.property(fc.oneof({ weight: 9, arbitrary: input }, fc.record({ name: anyValue, extra: anyValue })), (value) => {
      if (agrees(t, value)) accepted++;
    }),
    { numRuns: 20_000 },
  );
  // The generators reach the accepting side too, or the property would say little.
  t.true(accepted > 100, `only ${accepted} accepted`);
});
