import test from 'ava';
import { ProductListQuerySchema, UserListQuerySchema } from '../src/index.js';

for (const [name, schema] of [
  ['ProductListQuerySchema', ProductListQuerySchema],
  ['UserListQuerySchema', UserListQuerySchema],
] as const) {
  test(`${name}: an absent, null or empty cursor all mean the first page`, (t) => {
    for (const cursor of [undefined, null, '']) {
      const parsed = schema.safeParse({ cursor });
      t.true(parsed.success, `${JSON.stringify(cursor)}: ${parsed.error?.message}`);
      t.is(parsed.data?.cursor, undefined);
    }
    t.is(schema.parse({ cursor: 'abc' }).cursor, 'abc');
  });
}
