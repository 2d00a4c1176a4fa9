import type { Config } from './config.js';
import type { CursorCodec } from './cursor/index.js';
import type { Orm } from './db/open.js';
import type { RateLimitCounters } from './db/rate-limit-counters.js';
import type { RowReader } from './db/row-reader.js';

/** What every service is built from. Internal: not exported from the package. */
export interface ServiceContext {
  orm: Orm;
  config: Config;
  /** The resolved signing secret (configured or generated). */
  secret: string;
  /** Signs and verifies pagination cursors with the secret. */
  cursors: CursorCodec;
  /** Read-only statements of the hot read paths whose cost the LIMIT bounds (db/row-reader.ts). */
  read: RowReader;
  /**
   * With read replicas only: read-only statements on the primary, for reads that must see the
   * latest commit (an account's disabled flag, the change feed a watcher is woken to read).
   */
  primary?: RowReader;
  /** Read-only statements that may scan (searches, filters); writes go through `orm`. */
  scan: RowReader;
  /** Rate-limit counters in the database (the server's failed-login counts live there). */
  rateLimits: RateLimitCounters;
}
