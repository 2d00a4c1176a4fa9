import type { MigrationObject } from '@mikro-orm/core';
import { Migration0001InitialSchema } from './0001-initial-schema.js';
import { Migration0002ProductSortIndexes } from './0002-product-sort-indexes.js';
import { Migration0003DashboardStats } from './0003-dashboard-stats.js';
import { Migration0004ProductNameSearch } from './0004-product-name-search.js';
import { Migration0009RateLimits } from './0009-rate-limits.js';
import { Migration0010BulkInsertGuard } from './0010-bulk-insert-guard.js';
import { Migration0011SearchTrigramStats } from './0011-search-trigram-stats.js';
import { Migration0012ProductVersionSku } from './0012-product-version-sku.js';
import { Migration0013Settings } from './0013-settings.js';
import { Migration0014UserDisabled } from './0014-user-disabled.js';
import { Migration0015Changes } from './0015-changes.js';
import { Migration0016IdempotencyKeys } from './0016-idempotency-keys.js';
import { Migration0017ShortSearchTerms } from './0017-short-search-terms.js';

/**
 * The shipped migrations, in order. Listed here (not discovered from disk) so they work the same
 * from the TypeScript sources, the tsup bundle and a Docker image. Never rename or edit one that
 * has shipped; add the next instead.
 */
export const MIGRATIONS: MigrationObject[] = [
  { name: '0001-initial-schema', class: Migration0001InitialSchema },
  { name: '0002-product-sort-indexes', class: Migration0002ProductSortIndexes },
  { name: '0003-dashboard-stats', class: Migration0003DashboardStats },
  { name: '0004-product-name-search', class: Migration0004ProductNameSearch },
  { name: '0009-rate-limits', class: Migration0009RateLimits },
  { name: '0010-bulk-insert-guard', class: Migration0010BulkInsertGuard },
  { name: '0011-search-trigram-stats', class: Migration0011SearchTrigramStats },
  { name: '0012-product-version-sku', class: Migration0012ProductVersionSku },
  { name: '0013-settings', class: Migration0013Settings },
  { name: '0014-user-disabled', class: Migration0014UserDisabled },
  { name: '0015-changes', class: Migration0015Changes },
  { name: '0016-idempotency-keys', class: Migration0016IdempotencyKeys },
  { name: '0017-short-search-terms', class: Migration0017ShortSearchTerms },
];
