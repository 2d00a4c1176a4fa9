import type { Role, User } from '@catalog/contract';
import type { UserRecord } from '../db/entities.js';

/**
 * The wire shape of a user row: ISO timestamps with milliseconds, `name` null when absent,
 * `disabled` as a boolean and never the password hash.
 *
 * @example
 * return toUser(await em.findOneOrFail(UserEntity, id));
 */
export function toUser(
  record: Pick<UserRecord, 'id' | 'email' | 'name' | 'role' | 'created_at' | 'disabled_at'>,
): User {
  return {
    id: record.id,
    email: record.email,
    name: record.name ?? null,
    role: record.role as Role,
    disabled: record.disabled_at != null,
    created_at: record.created_at.toISOString(),
  };
}
