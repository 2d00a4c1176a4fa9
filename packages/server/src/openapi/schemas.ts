import { zodToOpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import {
  DashboardSummarySchema,
  FieldErrorSchema,
  OAuthErrorSchema,
  ProblemSchema,
  ProductInputSchema,
  ProductPatchSchema,
  ProductSchema,
  RefreshInputSchema,
  RegisterInputSchema,
  LoginInputSchema,
  TokenRequestSchema,
  TokenResponseSchema,
  UserSchema,
  UserPatchSchema,
  ChangePasswordInputSchema,
  countedPageSchema,
  ChangeSchema,
  ChangePageSchema,
  pageSchema,
} from '@catalog/contract';
import type { ZodType } from 'zod';

/** The product page as its own named component (`ProductPage`). */
export const ProductPageSchema = countedPageSchema(ProductSchema);

/** The users page as its own named component (`UserPage`). */
export const UserPageSchema = pageSchema(UserSchema);

/** Contract schemas that appear in the document as named components, by component name. */
const NAMED: ReadonlyArray<readonly [string, ZodType]> = [
  ['Product', ProductSchema],
  ['ProductInput', ProductInputSchema],
  ['ProductPatch', ProductPatchSchema],
  ['ProductPage', ProductPageSchema],
  ['User', UserSchema],
  ['UserPage', UserPageSchema],
  ['UserPatch', UserPatchSchema],
  ['ChangePasswordInput', ChangePasswordInputSchema],
  ['RegisterInput', RegisterInputSchema],
  ['LoginInput', LoginInputSchema],
  ['RefreshInput', RefreshInputSchema],
  ['TokenRequest', TokenRequestSchema],
  ['TokenResponse', TokenResponseSchema],
  ['DashboardSummary', DashboardSummarySchema],
  ['Change', ChangeSchema],
  ['ChangePage', ChangePageSchema],
  ['Problem', ProblemSchema],
  ['FieldError', FieldErrorSchema],
  ['OAuthError', OAuthErrorSchema],
];

let named = false;

/**
 * Gives the contract's schemas their component names. zod-to-openapi's `registry.register()`
 * cannot be used on them: it calls the `.openapi()` method that `extendZodWithOpenApi` adds to
 * zod's prototype, and zod 4 copies prototype methods into each schema when it is created, so
 * schemas built before the extension (the contract's, at import time) never get it. Setting the
 * component name in the generator's metadata registry names the very schema objects instead, so
 * every place that uses one (a page's items, the dashboard's products) becomes a `$ref` too.
 */
export function nameContractSchemas(): void {
  if (named) return;
  for (const [refId, schema] of NAMED) {
    zodToOpenAPIRegistry.add(schema, { ...zodToOpenAPIRegistry.get(schema), _internal: { refId } });
  }
  named = true;
}

/** Every named schema, passed to the generator so that each appears under components. */
export function namedSchemas(): ZodType[] {
  return NAMED.map(([, schema]) => schema);
}
