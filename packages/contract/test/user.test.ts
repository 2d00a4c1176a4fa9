import test from 'ava';
import { RegisterInputSchema } from '../src/index.js';

test('emails are trimmed and lower-cased', (t) => {
  t.is(RegisterInputSchema.parse({ email: '  Ada@Example.COM ', password: 'password1' }).email, 'ada@example.com');
  t.false(RegisterInputSchema.safeParse({ email: 'not-an-email', password: 'password1' }).success);
});

test('passwords are 8–72 UTF-8 bytes, counted in bytes not characters', (t) => {
  const ok = (password: string) => RegisterInputSchema.safeParse({ email: 'a@b.co', password }).success;
  t.false(ok('1234567'));
  t.true(ok('12345678'));
  t.true(ok('x'.repeat(72)));
  t.false(ok('x'.repeat(73)));
  t.true(ok('é'.repeat(36)), '36 two-byte characters are 72 bytes');
  t.false(ok('é'.repeat(37)), '37 two-byte characters are 74 bytes');
});

test('password length is said in characters for an ASCII password, in bytes otherwise', (t) => {
  const message = (password: string) => {
    const result = RegisterInputSchema.safeParse({ email: 'a@b.co', password });
    return result.success ? undefined : result.error.issues.map((issue) => issue.message).join('; ');
  };
  t.is(message('short'), 'must be at least 8 characters');
  t.is(message('x'.repeat(73)), 'must be at most 72 characters');
  t.is(message('é'.repeat(37)), 'must be at most 72 bytes (UTF-8)');
  t.is(message('ééé'), 'must be at least 8 bytes (UTF-8)');
});
