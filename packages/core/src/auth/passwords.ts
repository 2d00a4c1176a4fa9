import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { runOnPool } from './password-pool.js';

/*
 * Hashing and comparing run on a small worker-thread pool (./password-pool.ts), so a cost-12
 * hash never blocks the event loop that serves other requests.
 */

/**
 * Hashes a password with bcrypt at `cost` (log2 rounds).
 *
 * @example
 * const hash = await hashPassword('correct horse battery', 12);
 * @throws {Error} only on an invalid cost (the config already bounds it to 4–15).
 */
export async function hashPassword(password: string, cost: number): Promise<string> {
  return (await runOnPool('hash', password, cost)) as string;
}

/**
 * Whether `password` matches the bcrypt `hash`.
 *
 * @example
 * if (!(await verifyPassword(input.password, user.password_hash))) throw UnauthorizedError.invalidCredentials();
 */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  return (await runOnPool('compare', password, hash)) as boolean;
}

const BCRYPT_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A well-formed bcrypt hash of the given cost that no password matches: a fresh random salt and
 * a random digest. Comparing against it costs exactly what comparing against a real hash of
 * that cost does, without spending a bcrypt run to create it.
 *
 * @example
 * const dummy = dummyHash(12); // '$2b$12$' + 53 characters
 */
export function dummyHash(cost: number): string {
  const digest = Array.from(randomBytes(31), (byte) => BCRYPT_ALPHABET[byte % 64]).join('');
  return bcrypt.genSaltSync(cost) + digest;
}

/**
 * The compare to run when the email is unknown, so a failed login costs the same bcrypt work
 * whether or not the account exists (no user enumeration by timing).
 */
export class DummyHash {
  private readonly hash: string;

  constructor(cost: number) {
    this.hash = dummyHash(cost);
  }

  /**
   * Runs a full bcrypt compare of `password` against the dummy hash; always false.
   *
   * @example
   * if (!user) { await dummy.burn(input.password); throw UnauthorizedError.invalidCredentials(); }
   */
  async burn(password: string): Promise<false> {
    await verifyPassword(password, this.hash);
    return false;
  }
}
