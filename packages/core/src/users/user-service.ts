import {
  CreateUserInputSchema,
  RoleSchema,
  UserListQuerySchema,
  type CreateUserInput,
  type Page,
  type Role,
  type User,
  type UserListQuery,
} from '@catalog/contract';
import { requireAdmin, requireUser, type CallOptions } from '../actor.js';
import type { ServiceContext } from '../context.js';
import { paginate } from '../cursor/index.js';
import type { SortKey } from '../cursor/types.js';
import { UserEntity, type UserRecord } from '../db/entities.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import { validate } from '../validate.js';
import { findUser, insertUser, isUuid } from './user-store.js';
import { toUser } from './user-view.js';

/** Names the users listing in its cursors, so a cursor of another listing is refused here. */
const LIST_FILTERS = { list: 'users' } as const;

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
   * A page of users by `created_at` or `email` (keyset cursor pagination, admin only).
   *
   * @example
   * let page = await catalog.users.list({ sort_by: 'email', sort_order: 'asc' }, { actor });
   * const query = { sort_by: 'email', sort_order: 'asc' } as const;
   * while (page.next_cursor) page = await catalog.users.list({ ...query, cursor: page.next_cursor }, { actor });
   * @throws {UnauthorizedError|ForbiddenError} unless the actor is an admin.
   * @throws {ValidationError} for an unknown sort, bad limit or unknown parameter.
   * @throws {InvalidCursorError} for a cursor that was altered or issued for another listing or sort.
   */
  async list(query: UserListQuery = {}, options?: CallOptions): Promise<Page<User>> {
    requireAdmin(options);
    const { sort_by, sort_order, limit, cursor } = validate(UserListQuerySchema, query);
    const sort: SortKey[] = [
      { field: sort_by, direction: sort_order, type: sort_by === 'created_at' ? 'date' : 'string' },
      { field: 'id', direction: sort_order, type: 'string' },
    ];
    const page = await paginate<UserRecord>(
      this.ctx.orm.em.fork(),
      UserEntity,
      { where: [], sort, limit, cursor, filters: LIST_FILTERS },
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
}
