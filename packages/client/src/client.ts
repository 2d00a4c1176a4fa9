import type { TokenResponse } from '@catalog/contract';
import { CatalogApiError } from './errors.js';
import { AuthResource } from './resources/auth.js';
import { ChangesResource } from './resources/changes.js';
import { DashboardResource } from './resources/dashboard.js';
import { ProductsResource } from './resources/products.js';
import { UsersResource } from './resources/users.js';
import { errorFromResponse, valueFromResponse } from './response.js';
import { callSignal, raceSignal, type CallSignal } from './signals.js';
import { memoryTokenStore, toAuthTokens, type AuthTokens, type TokenStore } from './token-store.js';

/** The `fetch` the client calls: the global one by default, or any compatible function. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface ClientOptions {
  /** Where the API lives, e.g. `https://api.example.com` or `''` for the page's own origin. */
  baseUrl: string;
  /** Defaults to `globalThis.fetch`. Wrap it to log or observe requests. */
  fetch?: FetchLike;
  /** Defaults to `memoryTokenStore()`. */
  tokenStore?: TokenStore;
  /** Called after every sign-in, refresh and sign-out with the new tokens (null = signed out). */
  onTokenChange?: (tokens: AuthTokens | null) => void;
  /** Default deadline of each call in milliseconds, refresh and retry included (default 30 000; 0 = none). */
  timeoutMs?: number;
}

/** Options every SDK method accepts last. */
export interface RequestOptions {
  /** Cancels the call; it then rejects with `CatalogApiError` code `aborted`. */
  signal?: AbortSignal;
  /** Overrides the client's `timeoutMs` for this call; on expiry it rejects with code `timeout`. */
  timeoutMs?: number;
}

export type QueryValue = string | number | boolean | null | undefined;

/** One API call as the resources describe it to `send()`. */
export interface SendRequest extends RequestOptions {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Readonly<Record<string, QueryValue>>;
  /** A JSON body. */
  json?: unknown;
  /** An `application/x-www-form-urlencoded` body (OAuth2 token endpoint). */
  form?: Readonly<Record<string, string>>;
  /** `false` for sign-in endpoints: no bearer token, no refresh on 401. Default true. */
  auth?: boolean;
  /** The Accept header (default `application/json`). */
  accept?: string;
  /** Resolve with the successful Response itself, its body unread (a stream). */
  raw?: boolean;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * A Catalog API client: `auth`, `products`, `dashboard`, `users` and `changes` resources over one `send()`.
 * Create it with `createClient()`.
 */
export class CatalogClient {
  readonly baseUrl: string;
  readonly tokenStore: TokenStore;
  readonly auth: AuthResource;
  readonly products: ProductsResource;
  readonly dashboard: DashboardResource;
  readonly users: UsersResource;
  readonly changes: ChangesResource;
  readonly #fetch: FetchLike;
  readonly #onTokenChange: ((tokens: AuthTokens | null) => void) | undefined;
  readonly #timeoutMs: number;
  #refreshing: Promise<AuthTokens> | null = null;

  constructor(options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.tokenStore = options.tokenStore ?? memoryTokenStore();
    // Called through a closure: browsers throw "Illegal invocation" for a detached window.fetch.
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#onTokenChange = options.onTokenChange;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.auth = new AuthResource(this);
    this.products = new ProductsResource(this);
    this.dashboard = new DashboardResource(this);
    this.users = new UsersResource(this);
    this.changes = new ChangesResource(this);
  }

  /** Saves tokens (null signs out) and tells `onTokenChange`. */
  setTokens(tokens: AuthTokens | null): void {
    this.tokenStore.set(tokens);
    this.#onTokenChange?.(tokens);
  }

  /**
   * Sends one API call: attaches the bearer token, and when the server rejects that token (401)
   * refreshes the session once — shared by every call that hit the 401 meanwhile — and retries.
   * @throws {CatalogApiError} for every failure, transport ones included.
   */
  async send<T>(request: SendRequest): Promise<T> {
    const call = callSignal(request.signal, request.timeoutMs ?? this.#timeoutMs);
    try {
      const useAuth = request.auth !== false;
      const sent = useAuth ? this.tokenStore.get()?.access_token : undefined;
      try {
        return (await this.#attempt(request, sent, call)) as T;
      } catch (error) {
        if (!(error instanceof CatalogApiError) || error.status !== 401 || sent === undefined) throw error;
        const current = this.tokenStore.get();
        if (!current) throw error;
        // Another call may already have refreshed while this one was in flight: reuse its token.
        const fresh = current.access_token !== sent ? current : await raceSignal(this.#sharedRefresh(), call);
        return (await this.#attempt(request, fresh.access_token, call)) as T;
      }
    } finally {
      call.dispose();
    }
  }

  /**
   * Trades the stored refresh token for new tokens. Concurrent callers share one request. When
   * the server refuses the refresh token the session is cleared (`onTokenChange(null)`).
   * @throws {CatalogApiError} `unauthorized` when not signed in or the refresh token is refused.
   */
  async refreshSession(options: RequestOptions = {}): Promise<AuthTokens> {
    const call = callSignal(options.signal, options.timeoutMs ?? this.#timeoutMs);
    try {
      return await raceSignal(this.#sharedRefresh(), call);
    } finally {
      call.dispose();
    }
  }

  #sharedRefresh(): Promise<AuthTokens> {
    this.#refreshing ??= this.#refresh().finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  async #refresh(): Promise<AuthTokens> {
    const tokens = this.tokenStore.get();
    if (!tokens)
      throw new CatalogApiError({ status: 401, code: 'unauthorized', detail: 'Not signed in: no refresh token' });
    // Not tied to any caller's signal: one caller giving up must not cancel the others' refresh.
    const call = callSignal(undefined, this.#timeoutMs);
    try {
      const request: SendRequest = {
        method: 'POST',
        path: '/auth/refresh',
        json: { refresh_token: tokens.refresh_token },
      };
      const next = toAuthTokens((await this.#attempt(request, undefined, call)) as TokenResponse);
      this.setTokens(next);
      return next;
    } catch (error) {
      // A refused token ends the session; a network failure or rate limit does not (the token may still be good).
      const refused =
        error instanceof CatalogApiError && error.status >= 400 && error.status < 500 && error.status !== 429;
      if (refused && this.tokenStore.get()?.refresh_token === tokens.refresh_token) this.setTokens(null);
      throw error;
    } finally {
      call.dispose();
    }
  }

  /** One HTTP exchange, no retry. */
  async #attempt(request: SendRequest, accessToken: string | undefined, call: CallSignal): Promise<unknown> {
    if (call.signal.aborted) throw call.error();
    const headers: Record<string, string> = { accept: request.accept ?? 'application/json' };
    let body: string | undefined;
    if (request.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(request.form).toString();
    } else if (request.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.json);
    }
    if (accessToken) headers.authorization = `Bearer ${accessToken}`;
    const init: RequestInit = { method: request.method, headers, signal: call.signal };
    if (body !== undefined) init.body = body;
    try {
      const response = await this.#fetch(this.#url(request), init);
      if (!response.ok) throw await errorFromResponse(response);
      return request.raw ? response : await valueFromResponse(response);
    } catch (error) {
      if (error instanceof CatalogApiError) throw error;
      if (call.signal.aborted) throw call.error(error);
      const reason = error instanceof Error ? error.message : String(error);
      throw new CatalogApiError({ status: 0, code: 'network_error', detail: `Network error: ${reason}`, cause: error });
    }
  }

  #url(request: SendRequest): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined && value !== null) params.set(key, String(value));
    }
    const qs = params.toString();
    return `${this.baseUrl}${request.path}${qs ? `?${qs}` : ''}`;
  }
}

/**
 * Creates a client for a Catalog server.
 *
 * @example
 * import { createClient } from '@catalog/client';
 * const client = createClient({ baseUrl: 'http://127.0.0.1:8000' });
 * await client.auth.login({ email: 'ada@example.com', password: 'correct horse' });
 * const page = await client.products.list({ category: 'books', sort_by: 'price' });
 */
export function createClient(options: ClientOptions): CatalogClient {
  return new CatalogClient(options);
}
