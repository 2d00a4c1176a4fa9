export { createClient, CatalogClient } from './client.js';
export type { ClientOptions, FetchLike, RequestOptions, SendRequest, QueryValue } from './client.js';
export { CatalogApiError } from './errors.js';
export type { CatalogApiErrorCode, CatalogApiErrorInit, ClientErrorCode } from './errors.js';
export { memoryTokenStore, localStorageTokenStore, toAuthTokens } from './token-store.js';
export type { AuthTokens, TokenStore, StorageLike } from './token-store.js';
export { AuthResource } from './resources/auth.js';
export { ProductsResource } from './resources/products.js';
export { productETag } from './resources/products.js';
export type { ListOptions, ProductIterateQuery, WriteOptions } from './resources/products.js';
export { ETagCache } from './etag-cache.js';
export type { CacheOptions } from './etag-cache.js';
export { DashboardResource } from './resources/dashboard.js';
export { UsersResource } from './resources/users.js';
export { ChangesResource, FEED_END } from './resources/changes.js';
export type { WatchOptions } from './resources/changes.js';
export { readEventStream } from './event-stream.js';
export type { StreamEvent } from './event-stream.js';
export type {
  DashboardSummary,
  FieldError,
  LoginInput,
  Page,
  Product,
  ProductInput,
  ProductListQuery,
  ProductPatch,
  ProductSortBy,
  RegisterInput,
  Role,
  SortOrder,
  TokenRequest,
  TokenResponse,
  User,
  UserListQuery,
  UserPatch,
  ChangePasswordInput,
  Change,
  ChangeType,
  ChangePage,
  ChangeListQuery,
} from '@catalog/contract';
