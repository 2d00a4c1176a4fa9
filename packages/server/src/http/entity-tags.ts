import { createHash } from 'node:crypto';

/** One entity-tag of an `If-Match`/`If-None-Match` list: its opaque part (quotes included) and weakness. */
export interface EntityTag {
  weak: boolean;
  /** The quoted string, e.g. `"abc"`. */
  opaque: string;
}

/** A header's list of entity-tags, or `*` (any current representation). */
export type EntityTagList = '*' | EntityTag[];

/** `W/"…"` or `"…"`, then a comma or the end (RFC 9110 §8.8.3; commas may sit inside the quotes). */
const TAG = /\s*(W\/)?("[\x21\x23-\x7e\x80-\xff]*")\s*(?:,|$)/gy;

/**
 * Parses an `If-Match` or `If-None-Match` value. Anything that is not `*` or a list of tags (an
 * unquoted token, a stray character) matches nothing: the list keeps the tags read before it.
 * @returns undefined when the header is absent or empty.
 */
export function parseEntityTags(header: string | undefined): EntityTagList | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (value === '*') return '*';
  const tags: EntityTag[] = [];
  TAG.lastIndex = 0;
  for (let match = TAG.exec(value); match; match = TAG.exec(value)) {
    tags.push({ weak: match[1] !== undefined, opaque: match[2] as string });
  }
  return tags;
}

/** Weak comparison (RFC 9110 §8.8.3.2): the opaque parts are equal, weakness ignored. The rule of `If-None-Match`. */
export function weakMatch(list: EntityTagList, etag: string): boolean {
  const opaque = etag.replace(/^W\//, '');
  return list === '*' || list.some((tag) => tag.opaque === opaque);
}

/** The strong ETag of a product: its id and version, so it changes whenever the version does. */
export function productETag(product: { id: string; version: number }): string {
  return `"${product.id}.${product.version}"`;
}

/**
 * The versions of product `id` named by strong tags of `list` (a weak tag never matches in
 * `If-Match`, RFC 9110 §13.1.1).
 */
export function productVersionsIn(list: EntityTag[], id: string): number[] {
  const versions = new Set<number>();
  for (const tag of list) {
    const match = /^"([0-9a-f-]{36})\.([1-9]\d{0,14})"$/i.exec(tag.opaque);
    if (!tag.weak && match && (match[1] as string).toLowerCase() === id) versions.add(Number(match[2]));
  }
  return [...versions];
}

/** A strong ETag over exact response bytes: equal bytes, equal tag. */
export function bodyETag(bytes: string): string {
  return `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`;
}
