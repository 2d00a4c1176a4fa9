import type { TokenResponse } from '@catalog/contract';
import { CatalogApiError } from './errors.js';
import { ETagCache, type CacheOptions } from './etag-cache.js';
import { AuthResource } from './resources/auth.js';
import { ChangesResource } from './resources/changes.js';
import { DashboardResource } from './resources/dashboard.js';
import { ProductsResource } from './resources/products.js';
import { UsersResource } from './resources/users.js';
import { errorFromResponse, valueFromResponse } from './response.js';
import { retryDelayMs, shouldRetry, sleep } from './retry.js';
import { callSignal, raceSignal, type CallSignal } from './signals.js';
import { memoryTokenStore, toAuthTokens, type AuthTokens, type TokenStore } from './token-store.js';
import { positionValue } from './write-position.js';

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
  /**
   * Keep the bodies of `products.get()` with their ETags and revalidate them (`If-None-Match`): a
   * 304 returns the kept product without transferring it. Off by default; emptied whenever the
   * session changes.
   */
  cache?: boolean | CacheOptions;
  /**
   * How many times a call is sent again after a network error, a 502/503/504 or a 409
   * `idempotency_key_in_flight` (default 2; 0 = never), with exponential backoff and jitter (or
   * the server's `Retry-After`, capped). Only reads and calls carrying an Idempotency-Key are
   * retried: a retried write is replayed by the server, never run twice.
   */
  retries?: number;
}

/** Options every SDK method accepts last. */
export interface RequestOptions {
  /** Cancels the call; it then rejects with `CatalogApiError` code `aborted`. */
  signal?: AbortSignal;
  /** Overrides the client's `timeoutMs` for this call; on expiry it rejects with code `timeout`. */
  timeoutMs?: number;
  /**
   * The `Idempotency-Key` of a write (default: a fresh `crypto.randomUUID()` per call). Pass your
   * own to make a write safe to repeat across restarts of your program too.
   */
  idempotencyKey?: string;
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
  /** Extra request headers (`If-Match`, `If-None-Match`). */
  headers?: Readonly<Record<string, string>>;
  /** Sees the headers of a successful response (e.g. its `ETag`). */
  onHeaders?: (headers: Headers) => void;
  /** The value of a `304 Not Modified` answer to a conditional read; without it a 304 is an error. */
  notModified?: () => unknown;
  /**
   * `false` for writes that issue tokens (login, token, refresh): the server never stores their
   * responses, so they carry no Idempotency-Key and are not retried once sent. Default true.
   */
  idempotent?: boolean;
  /** The Accept header (default `application/json`). */
  accept?: string;
  /** Resolve with the successful Response itself, its body unread (a stream). */
  raw?: boolean;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_RETRIES = 2;

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
  /** The ETag cache of conditional reads; null unless `cache` is set. */
  readonly cache: ETagCache | null;
  readonly changes: ChangesResource;
  readonly #fetch: FetchLike;
  readonly #onTokenChange: ((tokens: AuthTokens | null) => void) | undefined;
  readonly #timeoutMs: number;
  readonly #retries: number;
  #refreshing: Promise<AuthTokens> | null = null;
  #position: { text: string; value: bigint } | null = null;

  constructor(options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.tokenStore = options.tokenStore ?? memoryTokenStore();
    // Called through a closure: browsers throw "Illegal invocation" for a detached window.fetch.
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#onTokenChange = options.onTokenChange;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.cache = options.cache ? new ETagCache(options.cache === true ? {} : options.cache) : null;
    this.#retries = Math.max(0, Math.floor(options.retries ?? DEFAULT_RETRIES));
    this.auth = new AuthResource(this);
    this.products = new ProductsResource(this);
    this.dashboard = new DashboardResource(this);
    this.users = new UsersResource(this);
    this.changes = new ChangesResource(this);
  }

  /**
   * The highest `Catalog-LSN` a write of this client was answered with (a server with read
   * replicas sends it; null before, and always without replicas). Every request sends it back as
   * `Catalog-Min-LSN`, so that no read sees a state older than this client's own writes, whichever
   * server or replica answers it (docs/scaling.md).
   */
  get writePosition(): string | null {
    return this.#position?.text ?? null;
  }

  /** Saves tokens (null signs out) and tells `onTokenChange`. */
  setTokens(tokens: AuthTokens | null): void {
    // Admins and users see different bodies under one ETag: never carry them across sessions.
    this.cache?.clear();
    this.tokenStore.set(tokens);
    this.#onTokenChange?.(tokens);
  }

  /**
   * Sends one API call: attaches the bearer token, and when the server rejects that token (401)
   * refreshes the session once — shared by every call that hit the 401 meanwhile — and tries
   * again. A write carries one Idempotency-Key for all its attempts; reads and keyed writes are
   * sent again after transient failures (see `ClientOptions.retries`).
   * @throws {CatalogApiError} for every failure, transport ones included.
   */
  async send<T>(request: SendRequest): Promise<T> {
    const call = callSignal(request.signal, request.timeoutMs ?? this.#timeoutMs);
    const headers: Record<string, string> = {};
    if (request.method !== 'GET' && request.idempotent !== false)
      headers['idempotency-key'] = request.idempotencyKey ?? globalThis.crypto.randomUUID();
    const retryable = request.method === 'GET' || headers['idempotency-key'] !== undefined;
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          return (await this.#authorized(request, headers, call)) as T;
        } catch (error) {
          if (!retryable || attempt >= this.#retries || !shouldRetry(error)) throw error;
          await raceSignal(sleep(retryDelayMs(error, attempt)), call);
        }
      }
    } finally {
      call.dispose();
    }
  }

  /** One attempt, and when the access token is refused, one more with a refreshed one. */
  async #authorized(request: SendRequest, headers: Record<string, string>, call: CallSignal): Promise<unknown> {
    const useAuth = request.auth !== false;
    const sent = useAuth ? this.tokenStore.get()?.access_token : undefined;
    try {
      return await this.#attempt(request, sent, call, headers);
    } catch (error) {
      if (!(error instanceof CatalogApiError) || error.status !== 401 || sent === undefined) throw error;
      const current = this.tokenStore.get();
      if (!current) throw error;
      // Another call may already have refreshed while this one was in flight: reuse its token.
      const fresh = current.access_token !== sent ? current : await raceSignal(this.#sharedRefresh(), call);
      return await this.#attempt(request, fresh.access_token, call, headers);
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
        idempotent: false,
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
  async #attempt(
    request: SendRequest,
    accessToken: string | undefined,
    call: CallSignal,
    extraHeaders: Record<string, string> = {},
  ): Promise<unknown> {
    if (call.signal.aborted) throw call.error();
    const headers: Record<string, string> = {
      accept: request.accept ?? 'application/json',
      ...request.headers,
      ...extraHeaders,
    };
    let body: string | undefined;
    if (request.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(request.form).toString();
    } else if (request.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.json);
    }
    if (accessToken) headers.authorization = `Bearer ${accessToken}`;
    if (this.#position) headers['catalog-min-lsn'] = this.#position.text;
    const init: RequestInit = { method: request.method, headers, signal: call.signal };
    if (body !== undefined) init.body = body;
    try {
      const response = await this.#fetch(this.#url(request), init);
      this.#remember(response.headers.get('catalog-lsn'));
      if (response.status === 304 && request.notModified) return request.notModified();
      if (!response.ok) throw await errorFromResponse(response);
      request.onHeaders?.(response.headers);
      return request.raw ? response : await valueFromResponse(response);
    } catch (error) {
      if (error instanceof CatalogApiError) throw error;
      if (call.signal.aborted) throw call.error(error);
      const reason = error instanceof Error ? error.message : String(error);
      throw new CatalogApiError({ status: 0, code: 'network_error', detail: `Network error: ${reason}`, cause: error });
    }
  }

  /** Keeps `lsn` (`X/Y` hex, as PostgreSQL writes it) when it is past the position kept. */
  #remember(lsn: string | null): void {
    const value = positionValue(lsn);
    if (value === undefined) return;
    if (this.#position === null || value > this.#position.value) this.#position = { text: lsn!, value };
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
