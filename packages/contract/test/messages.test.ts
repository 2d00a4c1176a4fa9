import test from 'ava';
import { ProductInputSchema, RegisterInputSchema } from '../src/index.js';

const messages = (result: { error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  Object.fromEntries((result.error?.issues ?? []).map((issue) => [issue.path.join('.'), issue.message]));

test('a missing required field says "is required", a value of the wrong type says what it must be', (t) => {
  t.deepEqual(messages(ProductInputSchema.safeParse({})), {
    name: 'is required',
    category: 'is required',
    price: 'is required',
  });
  t.deepEqual(messages(ProductInputSchema.safeParse({ name: 1, category: 'c', price: 'x' })), {
    name: 'must be a string',
    price: 'must be a number',
  });
  t.deepEqual(messages(RegisterInputSchema.safeParse({})), { email: 'is required', password: 'is required' });
});

test('password length is told in characters for an ASCII password, in bytes otherwise', (t) => {
  const problem = (password: string) => messages(RegisterInputSchema.safeParse({ email: 'a@example.com', password }));
  t.deepEqual(problem('short'), { password: 'must be at least 8 characters' });
  t.deepEqual(problem('x'.repeat(73)), { password: 'must be at most 72 characters' });
  t.deepEqual(problem('é'.repeat(37)), { password: 'must be at most 72 bytes (UTF-8)' });
  t.deepEqual(problem('ééé'), { password: 'must be at least 8 bytes (UTF-8)' });
});
