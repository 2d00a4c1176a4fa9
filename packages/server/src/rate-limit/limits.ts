import { RateLimitedError } from '@catalog/core';
import type { RateLimitStore } from './store.js';

/** One limit: at most `max` counted events per `windowSeconds`; `max` 0 turns it off. */
export interface Limit {
  max: number;
  windowSeconds: number;
}

function retryAfter(resetAt: number, now: number): number {
  return Math.max(1, Math.ceil((resetAt - now) / 1000));
}

/**
 * The two limits of SPEC §4 over one store: auth requests per client IP, and failed logins per
 * account. Keys are namespaced so both can share a store with other users of it.
 */
export class AuthRateLimiter {
  constructor(
    private readonly store: RateLimitStore,
    private readonly perIp: Limit,
    private readonly loginFailures: Limit,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Counts one auth request from `ip`.
   * @throws {RateLimitedError} once the IP has used up its window, with the seconds until it ends.
   */
  async hitAuth(ip: string): Promise<void> {
    if (this.perIp.max === 0) return;
    const { count, resetAt } = await this.store.increment(`auth-ip:${ip}`, this.perIp.windowSeconds * 1000);
    if (count > this.perIp.max) {
      throw new RateLimitedError(
        'Too many authentication requests from this address; retry later',
        retryAfter(resetAt, this.now()),
      );
    }
  }

  /**
   * Refuses a login attempt for an account that has failed too often in the current window, before
   * any password is checked.
   * @throws {RateLimitedError}
   */
  async checkLogin(email: string): Promise<void> {
    if (this.loginFailures.max === 0) return;
    const window = await this.store.get(loginKey(email));
    if (window && window.count >= this.loginFailures.max) {
      throw new RateLimitedError(
        'Too many failed logins for this account; retry later',
        retryAfter(window.resetAt, this.now()),
      );
    }
  }

  /** Records the outcome of a login: failures count toward the account's limit, a success clears it. */
  async recordLogin(email: string, succeeded: boolean): Promise<void> {
    if (this.loginFailures.max === 0) return;
    if (succeeded) await this.store.reset(loginKey(email));
    else await this.store.increment(loginKey(email), this.loginFailures.windowSeconds * 1000);
  }
}

// Same normalisation as the login schema (trim, lower-case), so `A@x.com ` and `a@x.com` share a counter.
function loginKey(email: string): string {
  return `login-fail:${email.trim().toLowerCase()}`;
}
