import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { UserListQuerySchema, UserPatchSchema, UserSchema } from '@catalog/contract';
import { z } from 'zod';
import { SIGNED_IN } from './auth-paths.js';
import { json, jsonBody, problems } from './responses.js';
import { UserPageSchema } from './schemas.js';

const UserIdParams = z.object({ id: z.uuid().describe('User id (UUIDv7)') });

/** The /users endpoints (account administration, admin only). */
export function registerUserPaths(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/users',
    operationId: 'listUsers',
    tags: ['users'],
    summary: 'List users (keyset pagination)',
    description:
      'Admin only. One page of users, optionally only one `role` and only emails containing `search` (case-insensitive). ' +
      'Pass `next_cursor` (or `prev_cursor`) back as `cursor` with the same filters and sort.',
    security: SIGNED_IN,
    request: { query: UserListQuerySchema },
    responses: { 200: json('A page of users', UserPageSchema), ...problems(400, 401, 403, 422, 503) },
  });

  registry.registerPath({
    method: 'patch',
    path: '/users/{id}',
    operationId: 'updateUser',
    tags: ['users'],
    summary: "Change a user's role, or disable or enable the account",
    description:
      'Admin only. `disabled: true` takes effect at once: the access tokens the user holds are refused (401) from the next request on ' +
      'and every refresh token of the user is revoked; a disabled user cannot sign in. `disabled: false` lets the user sign in again. ' +
      'An admin cannot disable their own account (403).',
    security: SIGNED_IN,
    request: {
      params: UserIdParams,
      body: jsonBody(UserPatchSchema),
    },
    responses: { 200: json('The updated user', UserSchema), ...problems(400, 401, 403, 404, 413, 415, 422, 503) },
  });
}
