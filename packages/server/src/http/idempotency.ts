import { createHash } from 'node:crypto';
import type { ErrorCode } from '@catalog/contract';
import {
  CatalogError,
  IDEMPOTENCY_KEY_MAX_LENGTH,
  ValidationError,
  type Catalog,
  type IdempotencyRequest,
  type StoredResponse,
} from '@catalog/core';
import type { Context, Middleware, Next } from 'koa';
import type { Logger } from 'pino';
import type { ServerMetrics } from '../metrics/metrics.js';
import { HttpProblem, STATUS_BY_CODE } from '../errors.js';
import type { AppState } from '../state.js';
import { takeRequestBytes } from './request-bytes.js';

const KEYED_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const BEARER = /^Bearer[ ]+(\S+)[ ]*$/i;

/** The headers that belong to the response itself, stored and replayed with it. */
const STORED_HEADERS = ['Content-Type', 'Location', 'ETag', 'Allow'];

/**
 * Statuses below 500 that are not the request's outcome but the moment's: an unauthenticated
 * caller (401), a rate limit (429), a timeout (408). Like every 5xx they release the key, so a
 * retry runs again instead of being told the same thing for a day.
 */
const TRANSIENT = new Set([401, 408, 429]);

type AppContext = Context & { state: AppState };

/** What the middleware is built from. */
export interface IdempotencyDeps {
  catalog: Pick<Catalog, 'auth' | 'idempotency'>;
  logger: Logger;
  /**
   * Answers the errors of the handlers below (the app's error handler): the stored response is
   * the one the client receives, problem+json bodies included.
   */
  answerErrors: Middleware<AppState>;
  /** Counts replays for /metrics; absent when metrics are turned off. */
  metrics?: Pick<ServerMetrics, 'idempotentReplay'> | undefined;
}

/**
 * `Idempotency-Key` on POST, PUT, PATCH and DELETE (draft-ietf-httpapi-idempotency-key-header).
 * The first request with a key claims it in the database and runs; its response — status, body
 * bytes, Content-Type, Location — is stored; a retry with the same key, method, path and body gets
 * that response again, byte for byte, with `Idempotent-Replayed: true`. Keys are per principal:
 * the signed-in user, or the client IP for anonymous requests. Same key, other request → 422
 * `idempotency_key_reused`; the first still running → 409 `idempotency_key_in_flight`.
 *
 * Not stored (the key is released, a retry runs again): 5xx and the transient statuses above,
 * and responses marked `Cache-Control: no-store` — the token responses, whose tokens the database
 * keeps only as hashes. A request whose bearer token does not verify is not keyed at all: its
 * route refuses it.
 */
export function idempotencyKeys({ catalog, logger, answerErrors, metrics }: IdempotencyDeps): Middleware<AppState> {
  return async (ctx, next) => {
    const header = ctx.req.headers['idempotency-key'];
    if (!KEYED_METHODS.has(ctx.method) || header === undefined) return next();
    const key = parseKey(String(header));
    const principal = await principalOf(catalog, ctx);
    if (principal === null) return next();
    const body = await takeRequestBytes(ctx);
    const request: IdempotencyRequest = { principal, key, fingerprint: fingerprint(ctx, body) };
    const outcome = await catalog.idempotency.claim(request);
    switch (outcome.kind) {
      case 'reused':
        throw problem(
          'idempotency_key_reused',
          'This Idempotency-Key was already used for a different request (method, path or body); use a new key',
        );
      case 'in_flight':
        throw problem(
          'idempotency_key_in_flight',
          'A request with this Idempotency-Key is still running; retry later',
          {
            'Retry-After': '1',
          },
        );
      case 'replay':
        replay(ctx, outcome.response);
        metrics?.idempotentReplay();
        return;
      case 'claimed':
        await runAndStore(ctx, next, request, outcome.claim);
    }
  };

  async function runAndStore(ctx: AppContext, next: Next, request: IdempotencyRequest, claim: string): Promise<void> {
    let response: StoredResponse | null;
    try {
      await answerErrors(ctx, next);
      response = capture(ctx);
    } catch (error) {
      await catalog.idempotency.release(request, claim).catch(() => undefined);
      throw error;
    }
    try {
      if (response && storable(ctx, response.status)) await catalog.idempotency.complete(request, claim, response);
      else await catalog.idempotency.release(request, claim);
    } catch (error) {
      // The request's own work is done: answer it. Its key stays claimed until the lease ends.
      logger.warn({ err: error, request_id: ctx.state.requestId }, 'could not store the idempotent response');
    }
  }
}

/** The key as sent: a bare token or an RFC 8941 string (`"…"`), 1–255 characters. */
function parseKey(header: string): string {
  const key = /^"(.*)"$/.exec(header)?.[1] ?? header;
  if (key.length === 0 || key.length > IDEMPOTENCY_KEY_MAX_LENGTH) {
    throw ValidationError.field('Idempotency-Key', `must be 1–${IDEMPOTENCY_KEY_MAX_LENGTH} characters`);
  }
  return key;
}

/** `user:<id>` for a verified bearer token, `ip:<address>` without one; null when the token does not verify. */
async function principalOf(catalog: Pick<Catalog, 'auth'>, ctx: AppContext): Promise<string | null> {
  const authorization = ctx.get('Authorization');
  if (!authorization) return `ip:${ctx.ip}`;
  const token = BEARER.exec(authorization)?.[1];
  if (!token) return null;
  try {
    return `user:${(await catalog.auth.verifyAccessToken(token)).id}`;
  } catch (error) {
    if (error instanceof CatalogError && error.code === 'unauthorized') return null;
    throw error;
  }
}

/** SHA-256 over the method, the path with its query and the body's own SHA-256. */
function fingerprint(ctx: AppContext, body: Buffer): string {
  const bodyHash = createHash('sha256').update(body).digest('hex');
  return createHash('sha256').update(`${ctx.method}\n${ctx.originalUrl}\n${bodyHash}`).digest('hex');
}

/**
 * The response as it will go out: an object body is serialised here, as Koa would, and the bytes
 * become the body, so what is stored is exactly what is sent. Null for a streamed body.
 */
function capture(ctx: AppContext): StoredResponse | null {
  const { body } = ctx;
  let bytes: Buffer;
  if (body === null || body === undefined) bytes = Buffer.alloc(0);
  else if (Buffer.isBuffer(body)) bytes = body;
  else if (typeof body === 'string') bytes = Buffer.from(body);
  else if (typeof (body as { pipe?: unknown }).pipe === 'function') return null;
  else bytes = Buffer.from(JSON.stringify(body));
  if (bytes.length > 0) ctx.body = bytes;
  const headers: Record<string, string> = {};
  for (const name of STORED_HEADERS) {
    const value = ctx.response.get(name);
    if (value) headers[name] = value;
  }
  return { status: ctx.status, headers, body: bytes };
}

function storable(ctx: AppContext, status: number): boolean {
  return status < 500 && !TRANSIENT.has(status) && !/\bno-store\b/i.test(ctx.response.get('Cache-Control'));
}

function replay(ctx: AppContext, response: StoredResponse): void {
  ctx.status = response.status;
  if (response.body.length > 0) ctx.body = response.body;
  ctx.set(response.headers);
  ctx.set('Idempotent-Replayed', 'true');
}

function problem(code: ErrorCode, detail: string, headers?: Record<string, string>): HttpProblem {
  return new HttpProblem(STATUS_BY_CODE[code], code, detail, headers);
}
