import { isUuid } from '@catalog/contract';
import { ValidationError } from '@catalog/core';
import type { z } from 'zod';
import { HttpProblem } from './errors.js';
import { refuseNul } from './nul-guard.js';

/**
 * Validates a query string with a contract schema, one `errors` entry per bad or unknown
 * parameter (the core's ValidationError.fromZod names each unknown key on its own).
 *
 * @example
 * const query = parseQuery(ProductListQuerySchema, ctx.query);
 * @throws {ValidationError} (422) listing every bad or unknown parameter.
 */
export function parseQuery<S extends z.ZodType>(schema: S, query: Record<string, unknown>): z.output<S> {
  refuseNul(query, 'query');
  const result = schema.safeParse(query);
  if (result.success) return result.data;
  throw ValidationError.fromZod(result.error);
}

/**
 * Validates the shape of a whole body with a contract schema (e.g. an array's length); the
 * fields inside are the service's to check.
 * @throws {ValidationError} (422) listing every problem.
 */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  throw ValidationError.fromZod(result.error);
}

/**
 * A record id from the path. Anything that cannot be an id names no record, so it is a 404 like
 * any other absent id, and never reaches a typed database column.
 * @throws {HttpProblem} 404 `not_found` when `id` is not a UUID.
 */
export function parseId(id: string | undefined, what: string): string {
  if (id === undefined || !isUuid(id))
    throw new HttpProblem(404, 'not_found', `${what} ${String(id).slice(0, 64)} not found`);
  return id.toLowerCase();
}
