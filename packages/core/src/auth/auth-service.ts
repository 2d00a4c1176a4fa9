import {
  ChangePasswordInputSchema,
  LoginInputSchema,
  RefreshInputSchema,
  RegisterInputSchema,
  type ChangePasswordInput,
  type LoginInput,
  type RefreshInput,
  type RegisterInput,
  type Role,
  type TokenResponse,
  type User,
} from '@catalog/contract';
import { requireUser, type Actor, type CallOptions } from '../actor.js';
import type { ServiceContext } from '../context.js';
import { UserEntity } from '../db/entities.js';
import { UnauthorizedError, ValidationError } from '../errors.js';
import { findUser, insertUser, isDisabled, isUuid } from './user-store.js';
import { toUser } from './user-view.js';
import { validate } from '../validate.js';
import { DummyHash, hashPassword, verifyPassword } from './passwords.js';
import { RefreshTokens, revokeSessions, type IssuedRefreshToken } from './refresh-tokens.js';
import { AccessTokens } from './tokens.js';

/**
 * Registration, sign-in and the token lifecycle. Access tokens are JWTs carrying the user's role
 * at issue time, so a role change (`users.setRole`) takes effect with the user's next token — at
 * the latest after one access-token lifetime, when the client refreshes. Disabling an account is
 * different: it takes effect at once (see verifyAccessToken).
 */
export class AuthService {
  private readonly accessTokens: AccessTokens;
  private readonly refreshTokens: RefreshTokens;
  private readonly dummy: DummyHash;

  constructor(private readonly ctx: ServiceContext) {
    const { config } = ctx;
    this.accessTokens = new AccessTokens({
      secret: ctx.secret,
      issuer: config.issuer,
      audience: config.audience,
      ttl: config.accessTokenTtl,
    });
    this.refreshTokens = new RefreshTokens(ctx.orm, config.refreshTokenTtl);
    this.dummy = new DummyHash(config.bcryptCost);
  }

  /**
   * Creates an account with the `user` role.
   *
   * @example
   * const user = await catalog.auth.register({ email: 'ada@example.com', password: 'correct horse' });
   * @throws {ValidationError} for a bad email, a password outside 8–72 UTF-8 bytes or a bad name.
   * @throws {ConflictError} when the email (case-insensitively) is taken.
   */
  async register(input: RegisterInput, _options?: CallOptions): Promise<User> {
    const parsed = validate(RegisterInputSchema, input);
    const record = await insertUser(this.ctx.orm.em.fork(), { ...parsed, role: 'user' }, this.ctx.config.bcryptCost);
    return toUser(record);
  }

  /**
   * Checks email and password and starts a new session (a new refresh-token family).
   *
   * @example
   * const { access_token, refresh_token } = await catalog.auth.login({ email, password });
   * @throws {ValidationError} when a field is missing.
   * @throws {UnauthorizedError} with the same message for an unknown email and a wrong password;
   * saying that the account is disabled only to whoever gave its right password.
   */
  async login(input: LoginInput, _options?: CallOptions): Promise<TokenResponse> {
    const { email, password } = validate(LoginInputSchema, input);
    const user = await this.ctx.orm.em.fork().findOne(UserEntity, { email });
    // Unknown emails pay for a bcrypt compare too, so response time does not reveal accounts.
    const ok = user ? await verifyPassword(password, user.password_hash) : await this.dummy.burn(password);
    if (!user || !ok) throw UnauthorizedError.invalidCredentials();
    if (user.disabled_at) throw UnauthorizedError.accountDisabled();
    return this.tokenResponse(user.role as Role, await this.refreshTokens.issue(user.id));
  }

  /**
   * Exchanges a refresh token for a new access token and a new refresh token (rotation). The
   * new access token carries the user's current role.
   *
   * @example
   * const tokens = await catalog.auth.refresh({ refresh_token });
   * @throws {UnauthorizedError} when the token is unknown, expired or revoked, or was already used
   * (which also revokes every token of its session), or its account is disabled.
   */
  async refresh(input: RefreshInput, _options?: CallOptions): Promise<TokenResponse> {
    const { refresh_token } = validate(RefreshInputSchema, input);
    const issued = await this.refreshTokens.rotate(refresh_token);
    const user = await this.ctx.orm.em.fork().findOne(UserEntity, { id: issued.userId });
    if (!user) throw UnauthorizedError.invalidToken('The account of this refresh token no longer exists');
    if (user.disabled_at) throw UnauthorizedError.accountDisabled();
    return this.tokenResponse(user.role as Role, issued);
  }

  /**
   * Changes the signed-in user's password after checking the current one, and ends every other
   * session of the user (their refresh tokens are revoked); the session of the caller's token
   * stays signed in.
   *
   * @example
   * await catalog.auth.changePassword({ current_password, new_password }, { actor });
   * @throws {UnauthorizedError} without an actor, or when its account no longer exists.
   * @throws {ValidationError} when `current_password` is wrong or `new_password` is not 8–72 UTF-8 bytes.
   */
  async changePassword(input: ChangePasswordInput, options?: CallOptions): Promise<void> {
    const actor = requireUser(options);
    const { current_password, new_password } = validate(ChangePasswordInputSchema, input);
    const em = this.ctx.orm.em.fork();
    const user = isUuid(actor.id) ? await findUser(em, actor.id) : null;
    if (!user) throw new UnauthorizedError('The account of this token no longer exists');
    if (!(await verifyPassword(current_password, user.password_hash)))
      throw ValidationError.field('current_password', 'is not the current password');
    const hash = await hashPassword(new_password, this.ctx.config.bcryptCost);
    const session = actor.session !== undefined && isUuid(actor.session) ? actor.session : undefined;
    await em.transactional(async (tx) => {
      await tx.nativeUpdate(UserEntity, { id: user.id }, { password_hash: hash });
      await revokeSessions(tx, user.id, session);
    });
  }

  /**
   * Ends the session of `refresh_token`: revokes its whole family. Unknown tokens are ignored
   * (logging out twice is not an error).
   *
   * @example
   * await catalog.auth.logout({ refresh_token });
   * @throws {ValidationError} when `refresh_token` is missing.
   */
  async logout(input: RefreshInput, _options?: CallOptions): Promise<void> {
    const { refresh_token } = validate(RefreshInputSchema, input);
    await this.refreshTokens.revokeFamilyOf(refresh_token);
  }

  /**
   * Verifies an access token (HS256 only; `exp`, `iss`, `aud`, `sub` required) and returns its
   * actor, refusing it when its account has been disabled. The role is the one in the token.
   *
   * @example
   * const actor = await catalog.auth.verifyAccessToken(bearer);
   * await catalog.products.create(input, { actor });
   * @throws {UnauthorizedError} for a malformed, tampered, expired or foreign token, or one whose
   * account is disabled.
   */
  async verifyAccessToken(token: string): Promise<Actor> {
    const actor = await this.accessTokens.verify(token);
    // The signature check is remembered per token (tokens.ts), the account's state never is: a
    // disable must stop the tokens already issued at once, in every process on the database, and
    // any per-process memory of "not disabled" would let another process's disable wait for it
    // to lapse. So every verification reads the user's row by primary key on the catalog's read
    // connection — an index lookup on the primary database (a prepared statement on SQLite; one
    // pooled round trip on PostgreSQL), which sees every committed disable.
    if (await isDisabled(this.ctx.primary ?? this.ctx.read, actor.id)) throw UnauthorizedError.accountDisabled();
    return actor;
  }

  /**
   * The signed-in user's current account.
   *
   * @example
   * const me = await catalog.auth.me({ actor });
   * @throws {UnauthorizedError} without an actor, or when the actor's account no longer exists.
   */
  async me(options?: CallOptions): Promise<User> {
    const actor = requireUser(options);
    const user = isUuid(actor.id) ? await findUser(this.ctx.orm.em.fork(), actor.id) : null;
    if (!user) throw new UnauthorizedError('The account of this token no longer exists');
    return toUser(user);
  }

  private async tokenResponse(role: Role, refresh: IssuedRefreshToken): Promise<TokenResponse> {
    return {
      access_token: await this.accessTokens.sign({ id: refresh.userId, role, session: refresh.family }),
      refresh_token: refresh.token,
      token_type: 'bearer',
      expires_in: this.accessTokens.ttl,
    };
  }
}
