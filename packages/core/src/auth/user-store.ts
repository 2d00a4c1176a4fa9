import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core';
import { isUuid, type Role } from '@catalog/contract';
import { uuidv7 } from 'uuidv7';
import { hashPassword } from './passwords.js';
import { UserEntity, type UserRecord } from '../db/entities.js';
import type { RowReader } from '../db/row-reader.js';
import { ConflictError } from '../errors.js';

export { isUuid };

/** A validated new user (emails already trimmed and lower-cased by the contract schema). */
export interface NewUser {
  email: string;
  password: string;
  name?: string | undefined;
  role: Role;
}

/**
 * Inserts a user with a bcrypt hash of the password. Shared by self-registration and admin
 * creation so both apply the same rules.
 *
 * @example
 * const record = await insertUser(em, { email, password, role: 'user' }, config.bcryptCost);
 * @throws {ConflictError} when the email is taken (checked first, and enforced by the unique index
 * for two registrations racing each other).
 */
export async function insertUser(em: EntityManager, user: NewUser, bcryptCost: number): Promise<UserRecord> {
  if (await em.count(UserEntity, { email: user.email })) throw ConflictError.emailTaken();
  const record = {
    id: uuidv7(),
    email: user.email,
    name: user.name ?? null,
    role: user.role,
    password_hash: await hashPassword(user.password, bcryptCost),
    created_at: new Date(),
    disabled_at: null,
  };
  try {
    await em.insert(UserEntity, record);
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) throw ConflictError.emailTaken();
    throw error;
  }
  return record;
}

/**
 * Finds a user by id (a UUID) or else by email (normalised like at registration).
 *
 * @example
 * const user = await findUser(em, 'Ada@Example.com ');
 */
export function findUser(em: EntityManager, idOrEmail: string): Promise<UserRecord | null> {
  const key = idOrEmail.trim();
  if (isUuid(key)) return em.findOne(UserEntity, { id: key.toLowerCase() });
  return em.findOne(UserEntity, { email: key.toLowerCase() });
}

/**
 * Whether the account `id` is disabled, read by primary key through `read` (a row reader of the
 * catalog). A missing row reads as not disabled: an unknown id is refused where it matters, not here.
 *
 * @example
 * if (await isDisabled(ctx.read, actor.id)) throw UnauthorizedError.accountDisabled();
 */
export async function isDisabled(read: RowReader, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  const rows = await read<{ disabled_at: unknown }>('select disabled_at from users where id = ?', [id.toLowerCase()]);
  return rows[0] !== undefined && rows[0].disabled_at !== null;
}
