import type { FieldError } from '@catalog/contract';
import type { Command } from 'commander';
import { UsageError } from './errors.js';

/**
 * A validation failure of input that came from the command's flags, told in the flags' names:
 * the core names wire fields (`min_price`), the user typed `--min-price`. A field is renamed
 * only when the command has the matching flag, so fields from elsewhere (a file being imported,
 * a password read from stdin) keep their names. Anything else is returned as it was.
 *
 * @example
 * throw inFlagTerms(error, command); // invalid input: --min-price: must not be greater than --max-price
 */
export function inFlagTerms(error: unknown, command: Command): unknown {
  const errors = (error as { code?: unknown; errors?: FieldError[] } | null)?.errors;
  if ((error as { code?: unknown } | null)?.code !== 'validation_failed' || !Array.isArray(errors)) return error;
  const flags = new Set(command.options.map((option) => option.long));
  const flagOf = (field: string) => {
    const flag = `--${field.replaceAll('_', '-')}`;
    return flags.has(flag) ? flag : undefined;
  };
  if (!errors.some((e) => flagOf(e.path) !== undefined)) return error;
  // Only snake_case words are field names; plain words ("a valid email address") stay words.
  const rename = (text: string) => text.replace(/\b[a-z]+(?:_[a-z]+)+\b/g, (word) => flagOf(word) ?? word);
  const problems = errors.map(({ path, message }) => (path ? `${flagOf(path) ?? path}: ` : '') + rename(message));
  return new UsageError(`invalid input: ${problems.join('; ')}`);
}
