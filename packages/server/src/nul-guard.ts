import type { FieldError } from '@catalog/contract';
import { ValidationError } from '@catalog/core';

const NUL = '\u0000';

/**
 * Paths of every string in `value` (keys included) that contains U+0000 ('' for `value` itself). Iterative, so a deeply
 * nested body cannot overflow the stack.
 */
export function nulPaths(value: unknown): string[] {
  const found: string[] = [];
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [node, path] = stack.pop() as [unknown, string];
    if (typeof node === 'string') {
      if (node.includes(NUL)) found.push(path);
    } else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        const childPath = path ? `${path}.${key}` : key;
        if (key.includes(NUL)) found.push(childPath);
        stack.push([child, childPath]);
      }
    }
  }
  return found.sort();
}

/**
 * Refuses input holding NUL characters before it reaches a service: PostgreSQL cannot store them
 * in text and SQLite's SQL layer cuts statements at them, so they would surface as 500s.
 * @throws {ValidationError} (422) with one entry per field holding a NUL.
 */
export function refuseNul(value: unknown, what: string): void {
  const paths = nulPaths(value);
  if (paths.length === 0) return;
  const errors: FieldError[] = paths.map((path) => ({ path, message: 'must not contain NUL (U+0000) characters' }));
  const summary = errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ');
  throw new ValidationError(`Invalid ${what}: ${summary}`, errors);
}
