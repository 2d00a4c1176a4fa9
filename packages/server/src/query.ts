import type { FieldError } from '@catalog/contract';
import { ValidationError } from '@catalog/core';
import type { z } from 'zod';
import { HttpProblem } from './errors.js';
import { refuseNul } from './nul-guard.js';

/**
 * Validates a query string with a contract schema, one `errors` entry per bad parameter. zod
 * reports every unknown key in one root-level issue; it is split here so that each unknown
 * parameter gets its own entry naming it.
 *
 * @example
 * const query = parseQuery(ProductListQuerySchema, ctx.query);
 * @throws {ValidationError} (422) listing every bad or unknown parameter.
 */
export function parseQuery<S extends z.ZodType>(schema: S, query: Record<string, unknown>): z.output<S> {
  refuseNul(query, 'query');
  const result = schema.safeParse(query);
  if (result.success) return result.data;
  const errors: FieldError[] = [];
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) errors.push({ path: key, message: 'is not a known parameter' });
    } else {
      errors.push({ path: issue.path.map(String).join('.') || '(query)', message: issue.message });
    }
  }
  return fail(errors);
}

function fail(errors: FieldError[]): never {
  throw new ValidationError(`Invalid query: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, errors);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A record id from the path. Anything that cannot be an id names no record, so it is a 404 like
 * any other absent id, and never reaches a typed database column.
 * @throws {HttpProblem} 404 `not_found` when `id` is not a UUID.
 */
export function parseId(id: string | undefined, what: string): string {
  if (id === undefined || !UUID.test(id)) throw new HttpProblem(404, 'not_found', `${what} ${String(id).slice(0, 64)} not found`);
  return id.toLowerCase();
}
