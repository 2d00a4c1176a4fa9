import test from 'ava';
import { parseEntityTags, productVersionsIn, weakMatch } from '../src/http/entity-tags.js';

const ID = '01a232a7-7fd3-73b2-a30c-7831e8569181';

test('parseEntityTags reads *, lists, weak tags and commas inside quotes; junk matches nothing', (t) => {
  t.is(parseEntityTags(undefined), undefined);
  t.is(parseEntityTags('  '), undefined);
  t.is(parseEntityTags(' * '), '*');
  t.deepEqual(parseEntityTags('"a", W/"b" ,"c,d"'), [
    { weak: false, opaque: '"a"' },
    { weak: true, opaque: '"b"' },
    { weak: false, opaque: '"c,d"' },
  ]);
  t.deepEqual(parseEntityTags('garbage'), []);
  t.deepEqual(parseEntityTags('"a", garbage, "b"'), [{ weak: false, opaque: '"a"' }]);
});

test('weakMatch ignores weakness on either side; * matches anything', (t) => {
  const list = parseEntityTags('W/"x", "y"')!;
  t.true(weakMatch(list, '"x"'));
  t.true(weakMatch(list, 'W/"y"'));
  t.false(weakMatch(list, '"z"'));
  t.true(weakMatch('*', '"z"'));
  t.false(weakMatch(parseEntityTags('garbage')!, '"garbage"'));
});

test('productVersionsIn keeps strong tags of this product only', (t) => {
  const list = parseEntityTags(`"${ID}.3", W/"${ID}.4", "${ID.toUpperCase()}.5", "other.6", "${ID}.0", "${ID}.x"`);
  t.deepEqual(productVersionsIn(list as Exclude<typeof list, '*' | undefined>, ID), [3, 5]);
});
