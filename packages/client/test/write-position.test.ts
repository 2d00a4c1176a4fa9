import { parseLsn } from '@catalog/contract';
import test from 'ava';
import fc from 'fast-check';
import { positionValue } from '../src/write-position.js';

const hex = fc.integer({ min: 0, max: 0xffffffff }).map((n) => n.toString(16));
const lsn = fc.tuple(hex, hex, fc.boolean()).map(([a, b, upper]) => {
  const text = `${a}/${b}`;
  return upper ? text.toUpperCase() : text;
});

test("the SDK reads a Catalog-LSN as the contract's parseLsn does, so it keeps the same highest position", (t) => {
  fc.assert(
    fc.property(lsn, lsn, (a, b) => {
      t.is(positionValue(a), parseLsn(a));
      t.is(positionValue(a)! > positionValue(b)!, parseLsn(a)! > parseLsn(b)!);
    }),
  );
  for (const bad of ['', 'nope', '0/', '/1', '123456789/0', '0/1/2', '0x1/2']) {
    t.is(positionValue(bad), undefined, bad);
    t.is(parseLsn(bad), undefined, bad);
  }
  t.is(positionValue('1/0')! > positionValue('0/FFFFFFFF')!, true);
});
