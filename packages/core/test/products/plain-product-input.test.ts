import test from 'ava';
import { MAX_PRICE, ProductInputSchema } from '@catalog/contract';
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
