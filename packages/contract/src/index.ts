export {
  IdSchema,
  TimestampSchema,
  BooleanLikeSchema,
  LimitSchema,
  PAGE_LIMIT_MAX,
  CursorSchema,
  SortOrderSchema,
  hasAtMostDecimals,
  inputString,
  isUuid,
  numberLike,
  typeMessage,
  pageSchema,
  countedPageSchema,
} from './common.js';
export type { Page, SortOrder } from './common.js';
export { ERROR_CODES, ErrorCodeSchema, FieldErrorSchema, ProblemSchema, OAuthErrorSchema } from './errors.js';
export type { ErrorCode, FieldError, Problem, OAuthError } from './errors.js';
export {
  RoleSchema,
  EmailSchema,
  PasswordSchema,
  UserNameSchema,
  UserSchema,
  RegisterInputSchema,
  CreateUserInputSchema,
  LoginInputSchema,
  RefreshInputSchema,
  TokenResponseSchema,
  TokenRequestSchema,
  UserSortBySchema,
  UserListQuerySchema,
  UserPatchSchema,
  ChangePasswordInputSchema,
} from './user.js';
export type {
  Role,
  User,
  RegisterInput,
  CreateUserInput,
  LoginInput,
  RefreshInput,
  TokenResponse,
  TokenRequest,
  UserListQuery,
  UserPatch,
  ChangePasswordInput,
} from './user.js';
export {
  MAX_PRICE,
  PRODUCT_LIMITS,
  SKU_PATTERN,
  SkuSchema,
  ProductNameSchema,
  CategorySchema,
  PriceSchema,
  RatingSchema,
  ProductSchema,
  ProductInputSchema,
  PRODUCT_IDENTITY_SHAPE,
  ProductIdentitySchema,
  ProductImportSchema,
  ProductPatchSchema,
  PRODUCT_SORT_KEYS,
  ProductSortBySchema,
  ProductListQuerySchema,
  PRODUCT_BULK_MAX,
  ProductBulkInputSchema,
} from './product.js';
export type {
  Product,
  ProductInput,
  ProductInputParsed,
  ProductIdentityInput,
  ProductImport,
  ProductImportParsed,
  ProductPatch,
  ProductSortBy,
  ProductListQuery,
  ProductListQueryParsed,
  ProductFilter,
} from './product.js';
export { CategoryCountSchema, DashboardSummarySchema } from './dashboard.js';
export type { DashboardSummary } from './dashboard.js';
export {
  CHANGE_TYPES,
  ChangeTypeSchema,
  ChangeSchema,
  ChangeListQuerySchema,
  FEED_END,
  ChangeStreamQuerySchema,
  ChangePageSchema,
} from './change.js';
export type { ChangeType, Change, ChangeListQuery, ChangeStreamQuery, ChangePage } from './change.js';
export { parseLsn } from './wal-position.js';
