import { boolSetting, intSetting, resolveSettings } from '@catalog/core';
import { z } from 'zod';

/** Server settings that can come from the environment. Anything left out is read from env, then defaulted. */
export interface ServerSettings {
  /** TCP port (env `CATALOG_PORT`; default 8000; 0 picks a free port). */
  port?: number;
  /** Interface to bind (env `CATALOG_HOST`; default `127.0.0.1`). */
  host?: string;
  /** Let anonymous clients call `GET /products` and `GET /products/{id}` (env `CATALOG_PUBLIC_READ`; default false). */
  publicRead?: boolean;
  /**
   * Failed logins per account and client IP per window before 429 (other addresses are not
   * refused); 0 disables
   * (env `CATALOG_RATE_LIMIT_LOGIN_FAILURES`; default 10).
   */
  loginFailureLimit?: number;
  /** Window of the failed-login limit in seconds (env `CATALOG_RATE_LIMIT_LOGIN_WINDOW`; default 900). */
  loginFailureWindow?: number;
  /**
   * Auth requests (register/login/token/refresh/password change) per client IP per window; 0 disables
   * (env `CATALOG_RATE_LIMIT_AUTH_PER_IP`; default 60).
   */
  authPerIpLimit?: number;
  /** Window of the per-IP auth limit in seconds (env `CATALOG_RATE_LIMIT_AUTH_WINDOW`; default 60). */
  authPerIpWindow?: number;
  /** Origins allowed by CORS: a list, or `*` (env `CATALOG_CORS_ORIGINS`, comma-separated; default none = CORS off). */
  corsOrigins?: string[] | '*';
  /** Trust `X-Forwarded-For`/`X-Forwarded-Proto` from a reverse proxy (env `CATALOG_TRUST_PROXY`; default false). */
  trustProxy?: boolean;
  /** pino level: fatal, error, warn, info, debug, trace or silent (env `CATALOG_LOG_LEVEL`; default info). */
  logLevel?: LogLevel;
  /**
   * Where rate-limit counters live: `database` (table `rate_limits`, shared by every process on
   * the database) or `memory` (this process only) (env `CATALOG_RATE_LIMIT_STORE`; default database).
   */
  rateLimitStorage?: RateLimitStorage;
  /**
   * Seconds to wait for in-flight requests on shutdown before cutting connections
   * (env `CATALOG_SHUTDOWN_TIMEOUT`; default 10).
   */
  shutdownTimeout?: number;
  /**
   * `Cache-Control` of the conditional reads (`GET /products`, `GET /products/{id}`,
   * `GET /dashboard/summary`) (env `CATALOG_CACHE_CONTROL`; default `private, no-cache`: only the
   * client may keep a copy, and it revalidates it with `If-None-Match` each time).
   */
  cacheControl?: string;
  /**
   * Refuse product writes (PUT, PATCH, DELETE, restore) without `If-Match` with 428
   * (env `CATALOG_REQUIRE_IF_MATCH`; default false).
   */
  requireIfMatch?: boolean;
  /**
   * Serve `GET /metrics` and send `Server-Timing` on every response; false turns both off, and the
   * timing of requests and database statements with them (env `CATALOG_METRICS`; default true).
   */
  metrics?: boolean;
  /**
   * Bearer token `GET /metrics` requires from any address; unset (empty), it answers loopback
   * clients only (env `CATALOG_METRICS_TOKEN`; at least 16 characters; default unset).
   */
  metricsToken?: string;
  /**
   * Milliseconds between heartbeat comments on an idle `GET /changes/stream`, which keep proxies
   * from closing it (env `CATALOG_CHANGES_HEARTBEAT_MS`; default 15000).
   */
  changesHeartbeatMs?: number;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const RATE_LIMIT_STORES = ['database', 'memory'] as const;
export type RateLimitStorage = (typeof RATE_LIMIT_STORES)[number];

export type ServerConfig = Required<ServerSettings>;

const ENV_NAMES: Record<keyof ServerSettings, string> = {
  port: 'CATALOG_PORT',
  host: 'CATALOG_HOST',
  publicRead: 'CATALOG_PUBLIC_READ',
  loginFailureLimit: 'CATALOG_RATE_LIMIT_LOGIN_FAILURES',
  loginFailureWindow: 'CATALOG_RATE_LIMIT_LOGIN_WINDOW',
  authPerIpLimit: 'CATALOG_RATE_LIMIT_AUTH_PER_IP',
  authPerIpWindow: 'CATALOG_RATE_LIMIT_AUTH_WINDOW',
  corsOrigins: 'CATALOG_CORS_ORIGINS',
  trustProxy: 'CATALOG_TRUST_PROXY',
  logLevel: 'CATALOG_LOG_LEVEL',
  shutdownTimeout: 'CATALOG_SHUTDOWN_TIMEOUT',
  rateLimitStorage: 'CATALOG_RATE_LIMIT_STORE',
  cacheControl: 'CATALOG_CACHE_CONTROL',
  requireIfMatch: 'CATALOG_REQUIRE_IF_MATCH',
  metrics: 'CATALOG_METRICS',
  metricsToken: 'CATALOG_METRICS_TOKEN',
  changesHeartbeatMs: 'CATALOG_CHANGES_HEARTBEAT_MS',
};

const int = intSetting;
const bool = boolSetting;
const origins = z.preprocess(
  (value) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((part) => part.trim())
          .filter(Boolean)
      : value,
  z
    .array(
      z
        .string()
        .regex(
          /^(\*|https?:\/\/[^/\s]+)$/,
          'must be * or origins like https://shop.example.com (no path), comma-separated',
        ),
      {
        message: 'must be * or a list of origins',
      },
    )
    .transform((list): string[] | '*' => (list.includes('*') ? '*' : list)),
);

const SettingsSchema = z.object({
  port: int(0, 65535).default(8000),
  host: z.string().trim().min(1, 'must not be empty').default('127.0.0.1'),
  publicRead: bool.default(false),
  loginFailureLimit: int(0, 1_000_000).default(10),
  loginFailureWindow: int(1, 7 * 24 * 3600).default(15 * 60),
  authPerIpLimit: int(0, 1_000_000).default(60),
  authPerIpWindow: int(1, 24 * 3600).default(60),
  corsOrigins: origins.default([]),
  trustProxy: bool.default(false),
  logLevel: z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  shutdownTimeout: int(0, 3600).default(10),
  changesHeartbeatMs: int(10, 3_600_000).default(15_000),
  rateLimitStorage: z
    .enum(RATE_LIMIT_STORES, { message: `must be one of ${RATE_LIMIT_STORES.join(', ')}` })
    .default('database'),
  cacheControl: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    // A header value: visible ASCII and spaces only.
    .regex(/^[\x20-\x7e]+$/, 'must be printable ASCII (a Cache-Control header value)')
    .default('private, no-cache'),
  requireIfMatch: bool.default(false),
  metrics: bool.default(true),
  metricsToken: z
    .string()
    .regex(/^(|[\x21-\x7e]{16,})$/, 'must be at least 16 visible ASCII characters (no spaces)')
    .default(''),
});

/**
 * Merges server settings over the environment and validates them, reporting every bad value at once.
 *
 * @example
 * const config = resolveServerConfig({ port: 0 }); // host from CATALOG_HOST or 127.0.0.1
 * @throws {ConfigError} listing each bad value with where it came from (option or variable).
 */
export function resolveServerConfig(settings: ServerSettings = {}, env: NodeJS.ProcessEnv = process.env): ServerConfig {
  // A bad token is a secret all the same: the error names it without quoting it.
  return resolveSettings(SettingsSchema, ENV_NAMES, settings, env, ['metricsToken']);
}
