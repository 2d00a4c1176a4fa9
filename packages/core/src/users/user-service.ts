import {
  CreateUserInputSchema,
  PasswordSchema,
  RoleSchema,
  UserListQuerySchema,
  UserPatchSchema,
  type CreateUserInput,
  type Page,
  type Role,
  type User,
  type UserListQuery,
  type UserPatch,
} from '@catalog/contract';
import { requireAdmin, requireUser, type CallOptions } from '../actor.js';
import type { ServiceContext } from '../context.js';
import { paginate } from '../cursor/index.js';
import type { SortKey, SqlCondition } from '../cursor/types.js';
import { loginFailurePrefix } from '../auth/login-failures.js';
import { hashPassword } from '../auth/passwords.js';
import { revokeSessions } from '../auth/refresh-tokens.js';
import { UserEntity, type UserRecord } from '../db/entities.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import { escapeLike } from '../products/product-query.js';
import { validate } from '../validate.js';
import { findUser, insertUser, isUuid } from '../auth/user-store.js';
import { toUser } from '../auth/user-view.js';

/** Account administration: the operations behind `catalog users …` and admin tooling. */
export class UserService {
  constructor(private readonly ctx: ServiceContext) {}

  /**
   * Creates an account with any role (admin only; self-service sign-up is `auth.register`).
   *
   * @example
   * const input = { email: 'ops@example.com', password: 'correct horse', role: 'admin' } as const;
   * await catalog.users.create(input, { actor: SYSTEM_ACTOR });
   * @throws {UnauthorizedError|ForbiddenError} unless the actor is an admin.
   * @throws {ValidationError} for a bad email, password, name or role.
   * @throws {ConflictError} when the email is taken.
   */
  async create(input: CreateUserInput, options?: CallOptions): Promise<User> {
    requireAdmin(options);
    const parsed = validate(CreateUserInputSchema, input);
    return toUser(await insertUser(this.ctx.orm.em.fork(), parsed, this.ctx.config.bcryptCost));
  }

  /**
   * One user by id: admins may read anyone, a user only themself.
   *
   * @example
   * const user = await catalog.users.get(id, { actor });
   * @throws {UnauthorizedError} without an actor.
   * @throws {ForbiddenError} when a non-admin asks for someone else.
   * @throws {NotFoundError} when no user has this id.
   */
  async get(id: string, options?: CallOptions): Promise<User> {
    const actor = requireUser(options);
    if (actor.role !== 'admin' && actor.id !== id) throw new ForbiddenError('You may only read your own account');
    const record = isUuid(id) ? await this.ctx.orm.em.fork().findOne(UserEntity, { id: id.toLowerCase() }) : null;
    if (!record) throw NotFoundError.user(id);
    return toUser(record);
  }

  /**
   * A page of users by `created_at` or `email` (keyset cursor pagination, admin only), optionally
   * only one `role` and only emails containing `search` (case-insensitive, `%` and `_` literal).
   *
   * @example
   * let page = await catalog.users.list({ sort_by: 'email', sort_order: 'asc', role: 'admin' }, { actor });
   * const query = { sort_by: 'email', sort_order: 'asc', role: 'admin' } as const;
   * while (page.next_cursor) page = await catalog.users.list({ ...query, cursor: page.next_cursor }, { actor });
   * @throws {UnauthorizedError|ForbiddenError} unless the actor is an admin.
   * @throws {ValidationError} for an unknown sort or role, bad limit or unknown parameter.
   * @throws {InvalidCursorError} for a cursor that was altered or issued for another listing, sort or filters.
   */
  async list(query: UserListQuery = {}, options?: CallOptions): Promise<Page<User>> {
    requireAdmin(options);
    const { sort_by, sort_order, limit, cursor, role, search } = validate(UserListQuerySchema, query);
    const sort: SortKey[] = [
      { field: sort_by, direction: sort_order, type: sort_by === 'created_at' ? 'date' : 'string' },
      { field: 'id', direction: sort_order, type: 'string' },
    ];
    const where: SqlCondition[] = [];
    // Emails are stored lower-cased and the schema lower-cases the term, so LIKE's case rules
    // (insensitive on SQLite, sensitive on PostgreSQL) never come into play.
    if (search !== undefined) where.push({ sql: `email like ? escape '\\'`, params: [`%${escapeLike(search)}%`] });
    if (role !== undefined) where.push({ sql: 'role = ?', params: [role] });
    // Names the users listing and its filters in its cursors, so a cursor of another listing or
    // other filters is refused here.
    const filters = { list: 'users', role: role ?? null, search: search ?? null };
    const page = await paginate<UserRecord>(
      this.ctx.orm.em.fork(),
      UserEntity,
      { where, sort, limit, cursor, filters },
      this.ctx.cursors,
    );
    return { ...page, data: page.data.map(toUser) };
  }

  /**
   * Changes a user's role. Access tokens already issued keep their role until they expire; the
   * user's next token (login or refresh) carries the new one.
   *
   * @example
   * await catalog.users.setRole('ada@example.com', 'admin', { actor: SYSTEM_ACTOR });
   * @throws {UnauthorizedError|ForbiddenError} unless the actor is an admin.
   * @throws {ValidationError} for an unknown role.
   * @throws {NotFoundError} when no user has this id or email.
   */
  async setRole(idOrEmail: string, role: Role, options?: CallOptions): Promise<User> {
    requireAdmin(options);
    const parsed = RoleSchema.safeParse(role);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error, ['role']);
    const parsedRole = parsed.data;
    const em = this.ctx.orm.em.fork();
    const record = await findUser(em, idOrEmail);
    if (!record) throw NotFoundError.user(idOrEmail);
    if (record.role !== parsedRole) {
      await em.nativeUpdate(UserEntity, { id: record.id }, { role: parsedRole });
      record.role = parsedRole;
    }
    return toUser(record);
  }

  /**
   * Changes a user's role and/or disables or re-enables the account (admin only). Disabling is
   * immediate: the user's access tokens are refused from the next request on (in every process
   * on the database) and every refresh token of the user is revoked; re-enabling lets the user
   * sign in again (the revoked sessions stay revoked).
   *
   * @example
   * await catalog.users.update(user.id, { disabled: true }, { actor: admin });
   * @throws {UnauthorizedError|ForbiddenError} unless the actor is an admin; ForbiddenError too
   * when an admin tries to disable their own account.
   * @throws {ValidationError} for an unknown role, a non-boolean `disabled` or an unknown field.
   * @throws {NotFoundError} when no user has this id or email.
   */
  async update(idOrEmail: string, patch: UserPatch, options?: CallOptions): Promise<User> {
    const actor = requireAdmin(options);
    const { role, disabled } = validate(UserPatchSchema, patch);
    const em = this.ctx.orm.em.fork();
    const record = await findUser(em, idOrEmail);
    if (!record) throw NotFoundError.user(idOrEmail);
    if (disabled === true && record.id === actor.id) throw new ForbiddenError('You cannot disable your own account');
    const changes: Partial<Pick<UserRecord, 'role' | 'disabled_at'>> = {};
    if (role !== undefined && role !== record.role) changes.role = role;
    if (disabled === true && !record.disabled_at) changes.disabled_at = new Date();
    if (disabled === false && record.disabled_at) changes.disabled_at = null;
    if (Object.keys(changes).length > 0) {
      await em.transactional(async (tx) => {
        await tx.nativeUpdate(UserEntity, { id: record.id }, changes);
        if (changes.disabled_at) await revokeSessions(tx, record.id);
      });
      Object.assign(record, changes);
    }
    return toUser(record);
  }

  /**
   * Sets a user's password without knowing the old one (admin only: `catalog users passwd`), and
   * ends every session of the user (their refresh tokens are revoked).
   *
   * @example
   * await catalog.users.setPassword('ada@example.com', 'new correct horse', { actor: SYSTEM_ACTOR });
   * @throws {UnauthorizedError|ForbiddenError} unless the actor is an admin.
   * @throws {ValidationError} when the password is not 8–72 UTF-8 bytes.
   * @throws {NotFoundError} when no user has this id or email.
   */
  async setPassword(idOrEmail: string, password: string, options?: CallOptions): Promise<User> {
    requireAdmin(options);
    const parsed = PasswordSchema.safeParse(password);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error, ['password']);
    const em = this.ctx.orm.em.fork();
    const record = await findUser(em, idOrEmail);
    if (!record) throw NotFoundError.user(idOrEmail);
    const hash = await hashPassword(parsed.data, this.ctx.config.bcryptCost);
    await em.transactional(async (tx) => {
      await tx.nativeUpdate(UserEntity, { id: record.id }, { password_hash: hash });
      await revokeSessions(tx, record.id);
    });
    return toUser(record);
  }

  /**
   * Clears the failed-login counters of a user, from every client address (admin only: `catalog
   * users unlock`), so a locked-out owner can sign in again at once. Counters kept in a server's
   * memory (`CATALOG_RATE_LIMIT_STORE=memory`) are out of reach: only the database's are cleared.
   *
   * @example
   * await catalog.users.unlock('ada@example.com', { actor: SYSTEM_ACTOR });
   * @throws {UnauthorizedError|ForbiddenError} unless the actor is an admin.
   * @throws {NotFoundError} when no user has this id or email.
   */
  async unlock(idOrEmail: string, options?: CallOptions): Promise<User> {
    requireAdmin(options);
    const record = await findUser(this.ctx.orm.em.fork(), idOrEmail);
    if (!record) throw NotFoundError.user(idOrEmail);
    await this.ctx.rateLimits.resetPrefix(loginFailurePrefix(record.email));
    return toUser(record);
  }
}
