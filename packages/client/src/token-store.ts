import type { TokenResponse } from '@catalog/contract';

/** The tokens of a signed-in session, as the SDK keeps them. */
export interface AuthTokens {
  access_token: string;
  refresh_token: string;
  /** When the access token expires, epoch milliseconds (from `expires_in` at sign-in). */
  expires_at: number;
}

/**
 * Converts a token response to what the store keeps (`expires_in` becomes an absolute time).
 * @example
 * client.setTokens(toAuthTokens(await fetchTokensSomehow()));
 */
export function toAuthTokens(response: TokenResponse, now = Date.now()): AuthTokens {
  return {
    access_token: response.access_token,
    refresh_token: response.refresh_token,
    expires_at: now + response.expires_in * 1000,
  };
}

/**
 * Where the client keeps its tokens. Swap it to persist a session (see `localStorageTokenStore`)
 * or to share one session between several clients.
 */
export interface TokenStore {
  get(): AuthTokens | null;
  /** Saves new tokens, or forgets them when given `null`. */
  set(tokens: AuthTokens | null): void;
}

/**
 * Keeps tokens in memory only: the session ends with the page or process. The default store.
 *
 * @example
 * const client = createClient({ baseUrl, tokenStore: memoryTokenStore() });
 */
export function memoryTokenStore(initial: AuthTokens | null = null): TokenStore {
  let tokens = initial;
  return {
    get: () => tokens,
    set: (next) => {
      tokens = next;
    },
  };
}

/** The part of the Web Storage API the localStorage store uses. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

function isAuthTokens(value: unknown): value is AuthTokens {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.access_token === 'string' && typeof v.refresh_token === 'string' && typeof v.expires_at === 'number';
}

/**
 * Keeps tokens in `localStorage` (JSON under `key`) so a browser session survives reloads.
 * Anything unreadable under the key counts as signed out. Pass `storage` to use another Web
 * Storage (e.g. `sessionStorage`).
 *
 * @example
 * const client = createClient({ baseUrl: '/', tokenStore: localStorageTokenStore('shop.tokens') });
 * @throws {TypeError} when no `storage` is given and `globalThis.localStorage` does not exist (Node).
 */
export function localStorageTokenStore(key = 'catalog.tokens', storage?: StorageLike): TokenStore {
  const target = storage ?? (globalThis as { localStorage?: StorageLike }).localStorage;
  if (!target) throw new TypeError('localStorageTokenStore: no localStorage here; pass a storage');
  return {
    get() {
      const raw = target.getItem(key);
      if (raw === null) return null;
      try {
        const parsed: unknown = JSON.parse(raw);
        return isAuthTokens(parsed) ? parsed : null;
      } catch {
        return null;
      }
    },
    set(tokens) {
      if (tokens === null) target.removeItem(key);
      else target.setItem(key, JSON.stringify(tokens));
    },
  };
}
