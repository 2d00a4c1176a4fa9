import test from 'ava';
import { neutraliseCsvText, restoreCsvText } from '../src/format/csv.js';

const FORMULA_START = ['=', '+', '-', '@', '\t', '\r'];

test("a text starting with = + - @ tab or CR, or with ', is exported behind a '; import removes exactly that", (t) => {
  for (const first of [...FORMULA_START, "'"]) {
    const text = `${first}1+1`;
    t.is(neutraliseCsvText(text), `'${text}`);
    t.is(restoreCsvText(neutraliseCsvText(text)), text);
  }
  t.is(neutraliseCsvText("''"), "'''");
  t.is(restoreCsvText("'''"), "''");
  for (const text of ['plain', ' =not first', 'a=b', '1', '', 'Ünïcødé']) {
    t.is(neutraliseCsvText(text), text);
    t.is(restoreCsvText(text), text);
  }
});

test('every text round-trips, and no exported cell starts with a formula character', (t) => {
  const alphabet = [...FORMULA_START, "'", 'a', ' ', ',', '"', '\n', '茶'];
  // Every string of up to 3 characters from the alphabet.
  let texts = [''];
  for (let length = 1; length <= 3; length++) {
    texts = [...texts, ...texts.filter((s) => s.length === length - 1).flatMap((s) => alphabet.map((c) => s + c))];
  }
  for (const text of texts) {
    const cell = neutraliseCsvText(text);
    t.false(FORMULA_START.includes(cell[0] ?? ''), JSON.stringify(text));
    t.is(restoreCsvText(cell), text);
  }
});
