export { createCatalog } from './catalog.js';
export type { Catalog, Migrations } from './catalog.js';
export type { QueryKind, QueryObserver } from './db/query-observers.js';
export { resolveConfig, parseDatabaseUrl } from './config.js';
export { resolveSettings, intSetting, boolSetting } from './settings.js';
export type { CatalogOptions, Config, DatabaseKind } from './config.js';
export { SYSTEM_ACTOR, requireAdmin, requireUser, isAdmin } from './actor.js';
export type { Actor, CallOptions } from './actor.js';
export {
  CatalogError,
  ValidationError,
  InvalidCursorError,
  CursorExpiredError,
  UnauthorizedError,
  ForbiddenError,
  NotFoundError,
  ConflictError,
  PreconditionFailedError,
  RateLimitedError,
  ServiceUnavailableError,
  ConfigError,
  DatabaseMissingError,
} from './errors.js';
export { isDatabaseUnavailable, asServiceUnavailable } from './db/failures.js';
export { backupSqliteDatabase } from './db/backup.js';
export { withBusyRetry, isSqliteBusy } from './db/retry.js';
export type { RateLimitCounters, RateLimitWindow } from './db/rate-limit-counters.js';
export { loginFailureKey, loginFailurePrefix } from './auth/login-failures.js';
export type {
  IdempotencyStore,
  IdempotencyRequest,
  ClaimOutcome,
  StoredResponse,
} from './idempotency/idempotency-store.js';
export { IDEMPOTENCY_KEY_MAX_LENGTH } from './idempotency/idempotency-store.js';
export type { AuthService } from './auth/auth-service.js';
export type { UserService } from './users/user-service.js';
export type { ProductService, WriteOptions } from './products/product-service.js';
export type { ImportManyOptions, ImportManyResult } from './products/product-import.js';
export type { DashboardService } from './dashboard/dashboard-service.js';
export type { ChangeService, WatchOptions } from './changes/change-service.js';
export type { Replication, DatabaseStatus } from './db/replica-set.js';
