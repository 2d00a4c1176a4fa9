import type { Context } from 'koa';
import type { ServerConfig } from '../config.js';
import { HttpProblem } from '../errors.js';
import { bodyETag, parseEntityTags, productETag, productVersionsIn, weakMatch } from './entity-tags.js';

/** The koa context of any route (the state is not read here). */
type AnyContext = Pick<Context, 'get' | 'set' | 'vary' | 'status' | 'body' | 'type'>;

/**
 * Answers a read with its ETag and `Cache-Control`, or with 304 and no body when the client's
 * `If-None-Match` already names it (weak comparison, `*` included). Without `etag` the tag is a
 * hash of the serialized body itself, so it costs no query and changes exactly when the bytes do.
 */
export function sendConditional(ctx: AnyContext, config: ServerConfig, body: unknown, etag?: string): void {
  let tag = etag;
  let payload = body;
  if (tag === undefined) {
    payload = JSON.stringify(body);
    tag = bodyETag(payload as string);
  }
  ctx.set('ETag', tag);
  ctx.set('Cache-Control', config.cacheControl);
  // Admins and users see different bodies under the same URL.
  ctx.vary('Authorization');
  const noneMatch = parseEntityTags(ctx.get('If-None-Match'));
  if (noneMatch !== undefined && weakMatch(noneMatch, tag)) {
    ctx.status = 304;
    ctx.body = null;
    return;
  }
  ctx.body = payload;
  ctx.type = 'application/json; charset=utf-8';
}

/** Sets the ETag of the product a write answers with. */
export function sendProduct(ctx: AnyContext, product: { id: string; version: number }, status = 200): void {
  ctx.status = status;
  ctx.set('ETag', productETag(product));
  ctx.body = product;
}

/** No product has version 0 (versions start at 1): a condition that holds for none. */
const NO_VERSION = 0;

/**
 * The condition an `If-Match` header puts on a write to product `id`, as the service's
 * `ifVersion`: undefined for none (no header, or `*`, which only asks that the product exist — as
 * every one of these writes does anyway). Tags that name no version of this product make a
 * condition no version meets, so an existing product answers 412 and an absent one still 404.
 * @throws {HttpProblem} 428 when the header is absent and `requireIfMatch` is set; 400 when it
 * names several versions of the product (one write has one expected version).
 */
export function ifMatchVersion(ctx: AnyContext, config: ServerConfig, id: string): number | undefined {
  const list = parseEntityTags(ctx.get('If-Match'));
  if (list === undefined) {
    if (!config.requireIfMatch) return undefined;
    throw new HttpProblem(
      428,
      'precondition_required',
      'This write needs an If-Match header: the ETag of the product as you last read it, or *',
    );
  }
  if (list === '*') return undefined;
  const versions = productVersionsIn(list, id);
  if (versions.length > 1) {
    throw new HttpProblem(400, 'bad_request', 'If-Match names several versions of this product; send the one you read');
  }
  return versions[0] ?? NO_VERSION;
}
