import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import {
  ChangePasswordInputSchema,
  LoginInputSchema,
  OAuthErrorSchema,
  RefreshInputSchema,
  RegisterInputSchema,
  TokenRequestSchema,
  TokenResponseSchema,
  UserSchema,
} from '@catalog/contract';
import { empty, json, jsonBody, problems, rateLimited } from './responses.js';

export const SIGNED_IN: Record<string, string[]>[] = [{ bearerAuth: [] }, { oauth2: [] }];
const NO_STORE = {
  'Cache-Control': { description: 'Always `no-store`: tokens must not be cached.', schema: { type: 'string' } },
};

/** The /auth endpoints. */
export function registerAuthPaths(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'post',
    path: '/auth/register',
    operationId: 'register',
    tags: ['auth'],
    summary: 'Create an account',
    description:
      'Creates a user with the `user` role. Emails are trimmed and lower-cased; passwords are 8–72 UTF-8 bytes.',
    security: [],
    request: { body: jsonBody(RegisterInputSchema) },
    responses: rateLimited({ 201: json('The new user', UserSchema), ...problems(400, 409, 413, 415, 422, 429, 503) }),
  });

  registry.registerPath({
    method: 'post',
    path: '/auth/login',
    operationId: 'login',
    tags: ['auth'],
    summary: 'Sign in with email and password',
    description:
      'Returns an access token (JWT, 15 min by default) and a single-use refresh token (7 days). ' +
      'Failed logins are limited per account and client IP (429 once used up; a correct password from another client still works). ' +
      'A disabled account gets 401.',
    security: [],
    request: { body: jsonBody(LoginInputSchema) },
    responses: rateLimited({
      200: json('Tokens', TokenResponseSchema, NO_STORE),
      ...problems(400, 401, 413, 415, 422, 429, 503),
    }),
  });

  registry.registerPath({
    method: 'post',
    path: '/auth/token',
    operationId: 'token',
    tags: ['auth'],
    summary: 'OAuth2 token endpoint (password and refresh_token grants)',
    description:
      'RFC 6749 token endpoint on a form body: `grant_type=password&username=EMAIL&password=…` or `grant_type=refresh_token&refresh_token=…`. ' +
      'Errors follow RFC 6749 §5.2 (`invalid_request`, `invalid_grant`, `unsupported_grant_type`). `client_id` and `scope` are ignored.',
    security: [],
    request: {
      body: { required: true, content: { 'application/x-www-form-urlencoded': { schema: TokenRequestSchema } } },
    },
    responses: rateLimited({
      200: json('Tokens', TokenResponseSchema, NO_STORE),
      400: json(
        'RFC 6749 §5.2 error: bad request, bad credentials or refresh token, or unsupported grant type',
        OAuthErrorSchema,
      ),
      ...problems(413, 415, 429, 503),
    }),
  });

  registry.registerPath({
    method: 'post',
    path: '/auth/refresh',
    operationId: 'refresh',
    tags: ['auth'],
    summary: 'Exchange a refresh token for new tokens',
    description:
      'Rotates the refresh token: each one works once. Presenting a used one revokes its whole session (401).',
    security: [],
    request: { body: jsonBody(RefreshInputSchema) },
    responses: rateLimited({
      200: json('New tokens', TokenResponseSchema, NO_STORE),
      ...problems(400, 401, 413, 415, 422, 429, 503),
    }),
  });

  registry.registerPath({
    method: 'post',
    path: '/auth/logout',
    operationId: 'logout',
    tags: ['auth'],
    summary: 'Sign out',
    description: 'Revokes the refresh token and every token of its session.',
    security: [],
    request: { body: jsonBody(RefreshInputSchema) },
    responses: { 204: empty('Signed out'), ...problems(400, 413, 415, 422, 503) },
  });

  registry.registerPath({
    method: 'post',
    path: '/auth/password',
    operationId: 'changePassword',
    tags: ['auth'],
    summary: 'Change your password',
    description:
      'Checks `current_password` (422 on `current_password` when it is wrong), sets `new_password` (8–72 UTF-8 bytes) and signs out ' +
      "every other session of the user (their refresh tokens are revoked); the caller's own session stays signed in. " +
      'Counted against the per-IP auth limit.',
    security: SIGNED_IN,
    request: { body: jsonBody(ChangePasswordInputSchema) },
    responses: rateLimited({ 204: empty('Password changed'), ...problems(400, 401, 413, 415, 422, 429, 503) }),
  });

  registry.registerPath({
    method: 'get',
    path: '/auth/me',
    operationId: 'me',
    tags: ['auth'],
    summary: 'The signed-in user',
    security: SIGNED_IN,
    responses: { 200: json('The signed-in user', UserSchema), ...problems(401, 404, 503) },
  });
}
