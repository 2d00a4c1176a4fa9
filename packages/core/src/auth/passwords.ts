import { randomUUID } from 'node:crypto';
import bcrypt from 'bcryptjs';

/*
 * Only bcryptjs's async API is used: it works in slices of at most ~100 ms and yields to the
 * event loop in between (setImmediate), so a cost-12 hash never stalls other requests for its
 * whole duration the way hashSync would.
 */

/**
 * Hashes a password with bcrypt at `cost` (log2 rounds).
 *
 * @example
 * const hash = await hashPassword('correct horse battery', 12);
 * @throws {Error} only on an invalid cost (the config already bounds it to 4–15).
 */
export function hashPassword(password: string, cost: number): Promise<string> {
  return bcrypt.hash(password, cost);
}

/**
 * Whether `password` matches the bcrypt `hash`.
 *
 * @example
 * if (!(await verifyPassword(input.password, user.password_hash))) throw UnauthorizedError.invalidCredentials();
 */
export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

/**
 * A hash to compare against when the email is unknown, so a failed login costs the same bcrypt
 * work whether or not the account exists (no user enumeration by timing). Computed once per
 * cost, lazily, from a random password nobody can know.
 */
export class DummyHash {
  private hash: Promise<string> | undefined;

  constructor(private readonly cost: number) {}

  /**
   * Runs a full bcrypt compare of `password` against the dummy hash; always false.
   *
   * @example
   * if (!user) { await dummy.burn(input.password); throw UnauthorizedError.invalidCredentials(); }
   */
  async burn(password: string): Promise<false> {
    this.hash ??= hashPassword(randomUUID(), this.cost);
    await verifyPassword(password, await this.hash);
    return false;
  }
}
