import { z } from 'zod';
import { ConfigError } from './errors.js';

/**
 * Reads settings the way every Catalog package does: an option when given, else its environment
 * variable (empty counts as unset), validated by `schema`. Every bad value is reported at once,
 * each naming where it came from; values of `hidden` keys (secrets) are never echoed.
 *
 * @example
 * const config = resolveSettings(Schema, { port: 'CATALOG_PORT' }, { port: 0 }, process.env);
 * @throws {ConfigError} listing each bad value.
 */
export function resolveSettings<S extends z.ZodType>(
  schema: S,
  envNames: Record<string, string>,
  options: object,
  env: NodeJS.ProcessEnv,
  hidden: readonly string[] = [],
): z.output<S> {
  const raw: Record<string, unknown> = {};
  const source: Record<string, string> = {};
  for (const [key, envName] of Object.entries(envNames)) {
    const fromOptions = (options as Record<string, unknown>)[key];
    if (fromOptions !== undefined) {
      raw[key] = fromOptions;
      source[key] = `option ${key}`;
    } else if (env[envName] !== undefined && env[envName] !== '') {
      raw[key] = env[envName];
      source[key] = envName;
    }
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = new Map<string, string>();
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0]);
    // A union reports one issue per branch; the first says enough about one value.
    if (problems.has(key)) continue;
    const shown = hidden.includes(key) ? '' : ` (got ${JSON.stringify(raw[key])})`;
    problems.set(key, `${source[key] ?? `option ${key}`}: ${issue.message}${shown}`);
  }
  throw new ConfigError([...problems.values()]);
}

/** A whole-number setting within [min, max]; environment strings are coerced. */
export function intSetting(min: number, max: number) {
  return z.coerce
    .number({ message: 'must be a number' })
    .int('must be an integer')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);
}

/** A boolean setting: a boolean option, or `true`/`false`/`1`/`0` from the environment. */
export const boolSetting = z.union(
  [z.boolean(), z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')],
  { message: 'must be true or false' },
);
