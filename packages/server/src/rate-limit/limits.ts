import { loginFailureKey, RateLimitedError } from '@catalog/core';
import type { RateLimitStore } from './store.js';

/** One limit: at most `max` counted events per `windowSeconds`; `max` 0 turns it off. */
export interface Limit {
  max: number;
  windowSeconds: number;
}

/** The names the two limits are published under in the RateLimit headers. */
export type PolicyName = 'auth' | 'login';

/** Where a client stands against one limit after a request: what the RateLimit headers say. */
export interface RateLimitReading {
  policy: PolicyName;
  limit: Limit;
  /** Requests (or failures) the client has left in the current window. */
  remaining: number;
  /** Seconds until the current window ends; 0 when none is open. */
  resetSeconds: number;
  /** True when this request is over the limit and must be refused. */
  exceeded: boolean;
}

function secondsUntil(resetAt: number, now: number): number {
  return Math.max(1, Math.ceil((resetAt - now) / 1000));
}

/**
 * The two limits of the auth routes over one store: auth requests per client IP, and failed
 * logins per (account, client IP) — never per account alone, so that nobody can lock an account
 * for its owner by failing from somewhere else. Every method reads where the client stands
 * (undefined while the limit is off); `refusal` turns an exceeded reading into the 429.
 */
export class AuthRateLimiter {
  constructor(
    private readonly store: RateLimitStore,
    private readonly perIp: Limit,
    private readonly loginFailures: Limit,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one auth request from `ip`. */
  async hitAuth(ip: string): Promise<RateLimitReading | undefined> {
    if (this.perIp.max === 0) return undefined;
    const { count, resetAt } = await this.store.increment(`auth-ip:${ip}`, this.perIp.windowSeconds * 1000);
    return this.reading('auth', this.perIp, count, resetAt, count > this.perIp.max);
  }

  /**
   * Where `ip` stands with failed logins for `email`, before any password is checked: exceeded
   * once it has used up its failures in the current window.
   */
  async checkLogin(email: string, ip: string): Promise<RateLimitReading | undefined> {
    if (this.loginFailures.max === 0) return undefined;
    const window = await this.store.get(loginFailureKey(email, ip));
    const count = window?.count ?? 0;
    return this.reading('login', this.loginFailures, count, window?.resetAt, count >= this.loginFailures.max);
  }

  /**
   * Records the outcome of a login from `ip`: a failure counts toward that (account, IP) pair's
   * limit, a success clears that pair's count.
   */
  async recordLogin(email: string, ip: string, succeeded: boolean): Promise<RateLimitReading | undefined> {
    if (this.loginFailures.max === 0) return undefined;
    const key = loginFailureKey(email, ip);
    if (succeeded) {
      await this.store.reset(key);
      return this.reading('login', this.loginFailures, 0, undefined, false);
    }
    const { count, resetAt } = await this.store.increment(key, this.loginFailures.windowSeconds * 1000);
    return this.reading('login', this.loginFailures, count, resetAt, false);
  }

  /**
   * The error that refuses a request whose reading is exceeded.
   *
   * @example
   * if (reading?.exceeded) throw limiter.refusal(reading);
   */
  refusal(reading: RateLimitReading): RateLimitedError {
    const message =
      reading.policy === 'auth'
        ? 'Too many authentication requests from this address; retry later'
        : 'Too many failed logins for this account from this address; retry later';
    return new RateLimitedError(message, reading.resetSeconds);
  }

  private reading(
    policy: PolicyName,
    limit: Limit,
    count: number,
    resetAt: number | undefined,
    exceeded: boolean,
  ): RateLimitReading {
    return {
      policy,
      limit,
      remaining: Math.max(0, limit.max - count),
      resetSeconds: resetAt === undefined ? 0 : secondsUntil(resetAt, this.now()),
      exceeded,
    };
  }
}
