import type { ResponseConfig } from '@asteasolutions/zod-to-openapi';
import { ProblemSchema } from '@catalog/contract';
import type { ZodType } from 'zod';

/** Headers every response carries, by reference to `components/headers`. */
const REQUEST_ID = {
  'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' },
  'Server-Timing': { $ref: '#/components/headers/Server-Timing' },
};

/** A JSON success response. */
export function json(description: string, schema: ZodType, headers: Record<string, object> = {}): ResponseConfig {
  return { description, headers: { ...REQUEST_ID, ...headers }, content: { 'application/json': { schema } } };
}

/** A required JSON request body. */
export function jsonBody(schema: ZodType) {
  return { required: true, content: { 'application/json': { schema } } };
}

/** A success response whose body is text of `mediaType`. */
export function text(description: string, mediaType: string): ResponseConfig {
  return { description, headers: { ...REQUEST_ID }, content: { [mediaType]: { schema: { type: 'string' } } } };
}

/** A success response without a body. */
export function empty(description: string): ResponseConfig {
  return { description, headers: { ...REQUEST_ID } };
}

/** Headers of a conditional read: its ETag and Cache-Control. */
export const CONDITIONAL_READ = {
  ETag: { $ref: '#/components/headers/ETag' },
  'Cache-Control': { $ref: '#/components/headers/Cache-Control' },
};

/** The ETag header of a response carrying one product. */
export const PRODUCT_ETAG = { ETag: { $ref: '#/components/headers/ETag' } };

/** 304 of a conditional read: no body, the same ETag and Cache-Control. */
export function notModified(): Record<string, ResponseConfig> {
  return {
    304: {
      description: 'Not modified: `If-None-Match` names the current ETag; reuse the copy you hold (no body).',
      headers: { ...REQUEST_ID, ...CONDITIONAL_READ },
    },
  };
}

/** The error statuses the API answers with, each an RFC 9457 problem; `code` tells them apart. */
const PROBLEMS = {
  400: 'Malformed request (`bad_request`: e.g. malformed JSON) or an invalid pagination cursor (`invalid_cursor`)',
  401: 'Missing, invalid or expired credentials (`unauthorized`); see the WWW-Authenticate header',
  403: 'The caller is signed in but not allowed to do this (`forbidden`, e.g. admin only)',
  404: 'No such record, or it is soft-deleted (`not_found`)',
  409: 'The request conflicts with existing data (`conflict`, e.g. email taken)',
  410: 'The cursor points at changes that were pruned (`cursor_expired`); start again without a cursor',
  412: 'The `If-Match` condition does not hold: the product changed since that ETag was read (`precondition_failed`); nothing was written',
  413: 'The request body is larger than the limit: 100 kB, 2 MB for POST /products/bulk (`payload_too_large`)',
  415: 'The request body has the wrong Content-Type (`unsupported_media_type`)',
  422: 'Input failed validation (`validation_failed`); `errors` has one entry per bad field',
  428: 'The server requires `If-Match` on this write (`precondition_required`, CATALOG_REQUIRE_IF_MATCH=true)',
  429: 'Rate limited (`rate_limited`); retry after the number of seconds in Retry-After',
  500: 'Unexpected server error (`internal`); quote the request_id when reporting it',
  503: 'The database is unavailable or the server is shutting down (`service_unavailable`)',
} as const;

export type ProblemStatus = keyof typeof PROBLEMS;

const EXTRA_HEADERS: Partial<Record<ProblemStatus, Record<string, object>>> = {
  401: { 'WWW-Authenticate': { $ref: '#/components/headers/WWW-Authenticate' } },
  429: { 'Retry-After': { $ref: '#/components/headers/Retry-After' } },
};

/** Problem responses for the given statuses (500 is always added), keyed by status. */
export function problems(...statuses: ProblemStatus[]): Record<string, ResponseConfig> {
  const out: Record<string, ResponseConfig> = {};
  for (const status of [...statuses, 500 as const]) {
    out[status] = {
      description: PROBLEMS[status],
      headers: { ...REQUEST_ID, ...EXTRA_HEADERS[status] },
      content: { 'application/problem+json': { schema: ProblemSchema } },
    };
  }
  return out;
}

const RATE_LIMIT_HEADERS = {
  'RateLimit-Policy': { $ref: '#/components/headers/RateLimit-Policy' },
  RateLimit: { $ref: '#/components/headers/RateLimit' },
};

/**
 * `responses` with the RateLimit headers added to each one: the rate-limited routes send them on
 * every response, errors included.
 */
export function rateLimited(responses: Record<string, ResponseConfig>): Record<string, ResponseConfig> {
  return Object.fromEntries(
    Object.entries(responses).map(([status, response]) => [
      status,
      { ...response, headers: { ...response.headers, ...RATE_LIMIT_HEADERS } },
    ]),
  );
}

/** Components/headers referenced above. */
export const HEADER_COMPONENTS = {
  'X-Request-Id': {
    description:
      'The request id: echoed from the request header when sent, else generated. Quote it when reporting a problem.',
    schema: { type: 'string' },
  },
  'WWW-Authenticate': {
    description:
      '`Bearer` when no token was sent; `Bearer error="invalid_token"` for a malformed, tampered or expired token.',
    schema: { type: 'string' },
  },
  'Server-Timing': {
    description:
      'Where the time went (W3C Server Timing): `db;dur=0.420, app;dur=1.730` = 0.42 ms in database statements, ' +
      '1.73 ms in the whole handler chain. Absent when the server runs with metrics turned off (CATALOG_METRICS=false).',
    schema: { type: 'string' },
  },
  'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer', minimum: 1 } },
  Location: { description: 'URL of the created resource.', schema: { type: 'string' } },
  ETag: {
    description:
      'Entity tag of the representation. For one product: strong, `"<id>.<version>"`, changes whenever its version does (send it back in `If-Match` to write only that version). ' +
      'For a page or the summary: a hash of the exact response body. Send it back in `If-None-Match` to get 304 while it is unchanged.',
    schema: { type: 'string' },
  },
  'Cache-Control': {
    description:
      'Caching of reads: `private, no-cache` by default (only the client keeps a copy and revalidates it each time); set by CATALOG_CACHE_CONTROL.',
    schema: { type: 'string' },
  },
  'RateLimit-Policy': {
    description:
      'The limits of this route (IETF draft-ietf-httpapi-ratelimit-headers): `"auth";q=60;w=60` = 60 auth requests per client IP per 60 s; ' +
      '`"login";q=10;w=900` = 10 failed logins per account and client IP per 900 s. Absent when the limits are turned off.',
    schema: { type: 'string' },
  },
  RateLimit: {
    description:
      'Where this client stands against each policy: `"auth";r=59;t=42` = 59 requests left, the window resets in 42 s (`t=0`: no window open).',
    schema: { type: 'string' },
  },
} as const;
