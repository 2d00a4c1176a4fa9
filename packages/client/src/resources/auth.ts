import type {
  ChangePasswordInput,
  LoginInput,
  RegisterInput,
  TokenRequest,
  TokenResponse,
  User,
} from '@catalog/contract';
import type { CatalogClient, RequestOptions } from '../client.js';
import { toAuthTokens, type AuthTokens } from '../token-store.js';

/** Sign-up, sign-in and the session: `client.auth`. */
export class AuthResource {
  readonly #client: CatalogClient;

  constructor(client: CatalogClient) {
    this.#client = client;
  }

  /** The stored tokens, or null when signed out. */
  get tokens(): AuthTokens | null {
    return this.#client.tokenStore.get();
  }

  /** Whether tokens are stored (they may still be refused by the server). */
  get isSignedIn(): boolean {
    return this.tokens !== null;
  }

  /**
   * Creates an account (`POST /auth/register`). Does not sign in: call `login()` next.
   * @example
   * const user = await client.auth.register({ email: 'ada@example.com', password: 'correct horse', name: 'Ada' });
   * @throws {CatalogApiError} `validation_failed` (422) for a bad email or password, `conflict` (409) when the
   * email is taken.
   */
  async register(input: RegisterInput, options: RequestOptions = {}): Promise<User> {
    const body = await this.#client.send<{ user: User } | User>({
      ...options,
      method: 'POST',
      path: '/auth/register',
      json: input,
      auth: false,
    });
    return 'user' in body ? body.user : body;
  }

  /**
   * Signs in with email and password (`POST /auth/login`) and stores the tokens.
   * @example
   * await client.auth.login({ email: 'ada@example.com', password: 'correct horse' });
   * @throws {CatalogApiError} `unauthorized` (401) for wrong credentials, `rate_limited` (429) after too many failures.
   */
  async login(input: LoginInput, options: RequestOptions = {}): Promise<TokenResponse> {
    const tokens = await this.#client.send<TokenResponse>({
      ...options,
      method: 'POST',
      path: '/auth/login',
      idempotent: false,
      json: input,
      auth: false,
    });
    this.#client.setTokens(toAuthTokens(tokens));
    return tokens;
  }

  /**
   * The OAuth2 token endpoint (`POST /auth/token`, form-encoded): password or refresh_token
   * grant. Stores the tokens it returns.
   * @example
   * await client.auth.token({ grant_type: 'password', username: 'ada@example.com', password: 'correct horse' });
   * @throws {CatalogApiError} with an RFC 6749 code, e.g. `invalid_grant` for wrong credentials.
   */
  async token(request: TokenRequest, options: RequestOptions = {}): Promise<TokenResponse> {
    const form: Record<string, string> = {};
    for (const [key, value] of Object.entries(request)) if (typeof value === 'string') form[key] = value;
    const tokens = await this.#client.send<TokenResponse>({
      ...options,
      method: 'POST',
      path: '/auth/token',
      idempotent: false,
      form,
      auth: false,
    });
    this.#client.setTokens(toAuthTokens(tokens));
    return tokens;
  }

  /**
   * Rotates the stored refresh token (`POST /auth/refresh`) now; the client also does this by
   * itself when the access token is refused. Concurrent refreshes share one request.
   * @throws {CatalogApiError} `unauthorized` when signed out or the refresh token is refused (the session is then
   * cleared).
   */
  refresh(options: RequestOptions = {}): Promise<AuthTokens> {
    return this.#client.refreshSession(options);
  }

  /**
   * Signs out: revokes the refresh token's family on the server (`POST /auth/logout`) and
   * forgets the tokens locally, even when the server cannot be reached.
   * @throws {CatalogApiError} when the server could not revoke the token (the local session is cleared anyway).
   */
  async logout(options: RequestOptions = {}): Promise<void> {
    const tokens = this.tokens;
    if (!tokens) return;
    try {
      await this.#client.send<undefined>({
        ...options,
        method: 'POST',
        path: '/auth/logout',
        json: { refresh_token: tokens.refresh_token },
        auth: false,
      });
    } finally {
      this.#client.setTokens(null);
    }
  }

  /**
   * Changes the signed-in user's password (`POST /auth/password`). This session stays signed in;
   * every other session of the user is signed out.
   * @example
   * await client.auth.changePassword({ current_password: 'correct horse', new_password: 'battery staple' });
   * @throws {CatalogApiError} `validation_failed` (422) when `current_password` is wrong or `new_password` too
   * short or long, `unauthorized` (401) when not signed in.
   */
  async changePassword(input: ChangePasswordInput, options: RequestOptions = {}): Promise<void> {
    await this.#client.send<undefined>({ ...options, method: 'POST', path: '/auth/password', json: input });
  }

  /**
   * The signed-in user (`GET /auth/me`).
   * @throws {CatalogApiError} `unauthorized` (401) when not signed in.
   */
  me(options: RequestOptions = {}): Promise<User> {
    return this.#client.send<User>({ ...options, method: 'GET', path: '/auth/me' });
  }
}
