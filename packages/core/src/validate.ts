import type { z } from 'zod';
import { ValidationError } from './errors.js';

/**
 * Parses `input` with `schema`, throwing a `ValidationError` with one entry per bad field.
 * @throws {ValidationError}
 */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw ValidationError.fromZod(result.error);
  return result.data;
}
