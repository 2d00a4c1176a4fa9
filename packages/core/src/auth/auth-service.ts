import {
  LoginInputSchema,
  RefreshInputSchema,
  RegisterInputSchema,
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
import { UnauthorizedError } from '../errors.js';
import { findUser, insertUser, isUuid } from '../users/user-store.js';
import { toUser } from '../users/user-view.js';
import { validate } from '../validate.js';
import { DummyHash, verifyPassword } from './passwords.js';
import { RefreshTokens } from './refresh-tokens.js';
import { AccessTokens } from './tokens.js';

/**
 * Registration, sign-in and the token lifecycle. Access tokens are stateless JWTs carrying the
 * user's role at issue time, so a role change (`users.setRole`) takes effect with the user's next
 * token — at the latest after one access-token lifetime, when the client refreshes.
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
   * @throws {UnauthorizedError} with the same message for an unknown email and a wrong password.
   */
  async login(input: LoginInput, _options?: CallOptions): Promise<TokenResponse> {
    const { email, password } = validate(LoginInputSchema, input);
    const user = await this.ctx.orm.em.fork().findOne(UserEntity, { email });
    // Unknown emails pay for a bcrypt compare too, so response time does not reveal accounts.
    const ok = user ? await verifyPassword(password, user.password_hash) : await this.dummy.burn(password);
    if (!user || !ok) throw UnauthorizedError.invalidCredentials();
    return this.tokenResponse({ id: user.id, role: user.role as Role }, await this.refreshTokens.issue(user.id));
  }

  /**
   * Exchanges a refresh token for a new access token and a new refresh token (rotation). The
   * new access token carries the user's current role.
   *
   * @example
   * const tokens = await catalog.auth.refresh({ refresh_token });
   * @throws {UnauthorizedError} when the token is unknown, expired or revoked, or was already used
   * (which also revokes every token of its session).
   */
  async refresh(input: RefreshInput, _options?: CallOptions): Promise<TokenResponse> {
    const { refresh_token } = validate(RefreshInputSchema, input);
    const { userId, token } = await this.refreshTokens.rotate(refresh_token);
    const user = await this.ctx.orm.em.fork().findOne(UserEntity, { id: userId });
    if (!user) throw UnauthorizedError.invalidToken('The account of this refresh token no longer exists');
    return this.tokenResponse({ id: user.id, role: user.role as Role }, token);
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
   * actor. Stateless: the role is the one in the token.
   *
   * @example
   * const actor = await catalog.auth.verifyAccessToken(bearer);
   * await catalog.products.create(input, { actor });
   * @throws {UnauthorizedError} for a malformed, tampered, expired or foreign token.
   */
  verifyAccessToken(token: string): Promise<Actor> {
    return this.accessTokens.verify(token);
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

  private async tokenResponse(actor: Actor, refreshToken: string): Promise<TokenResponse> {
    return {
      access_token: await this.accessTokens.sign(actor),
      refresh_token: refreshToken,
      token_type: 'bearer',
      expires_in: this.accessTokens.ttl,
    };
  }
}
