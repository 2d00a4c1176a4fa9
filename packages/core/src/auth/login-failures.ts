/*
 * Where failed logins are counted: one rate-limit counter per (account, client address), so
 * that somebody failing from one address never locks the account for its owner elsewhere. The
 * server counts with these keys and `catalog users unlock` clears them: both must agree, so the
 * key layout is defined here once.
 */

const PREFIX = 'login-fail:';

// Same normalisation as the login schema (trim, lower-case), so `A@x.com ` and `a@x.com` share a counter.
function account(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * The counter of failed logins for `email` from `ip`. The address comes last, after a space
 * (which no valid email contains), so the counters of one account share a prefix.
 *
 * @example
 * loginFailureKey('Ada@Example.com', '203.0.113.7'); // 'login-fail:ada@example.com 203.0.113.7'
 */
export function loginFailureKey(email: string, ip: string): string {
  return `${PREFIX}${account(email)} ${ip}`;
}

/**
 * The prefix shared by every failed-login counter of `email`, whatever the address.
 *
 * @example
 * await rateLimits.resetPrefix(loginFailurePrefix('ada@example.com'));
 */
export function loginFailurePrefix(email: string): string {
  return `${PREFIX}${account(email)} `;
}
