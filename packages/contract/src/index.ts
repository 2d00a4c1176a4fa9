export {
  IdSchema,
  TimestampSchema,
  BooleanLikeSchema,
  LimitSchema,
  SortOrderSchema,
  hasAtMostDecimals,
  inputString,
  isUuid,
  numberLike,
  pageSchema,
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
  ProductPatchSchema,
  PRODUCT_SORT_KEYS,
  ProductSortBySchema,
  ProductListQuerySchema,
} from './product.js';
export type {
  Product,
  ProductInput,
  ProductInputParsed,
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
  ChangeStreamQuerySchema,
  ChangePageSchema,
} from './change.js';
export type { ChangeType, Change, ChangeListQuery, ChangeStreamQuery, ChangePage } from './change.js';
