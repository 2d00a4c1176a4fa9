import { ERROR_CODES, type ErrorCode, type FieldError } from '@catalog/contract';
import { CommanderError } from 'commander';

/** Exit codes of the `catalog` command. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** The command line is wrong (a missing option, values that do not fit together): exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The command ran and failed for a reason already explained to the user: exit code 1. */
export class CommandFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandFailed';
  }
}

export interface DescribedError {
  /** One line, without the `catalog: ` prefix. */
  message: string;
  exitCode: number;
}

/** CatalogError codes caused by how the command was invoked rather than by the data. */
const USAGE_CODES = new Set(['validation_failed', 'invalid_cursor', 'bad_request']);

/**
 * Turns anything thrown by a command into one line for stderr and an exit code: CatalogError codes
 * map to a message (validation errors list every field), configuration and usage problems exit 2,
 * everything else exits 1 with its own message.
 *
 * @example
 * describeError(new NotFoundError('Product 0190… not found')); // { message: 'Product 0190… not found', exitCode: 1 }
 */
export function describeError(error: unknown): DescribedError {
  if (error instanceof CommanderError)
    return { message: oneLine(error.message.replace(/^error: /, '')), exitCode: EXIT.usage };
  if (error instanceof UsageError) return { message: oneLine(error.message), exitCode: EXIT.usage };
  if (error instanceof CommandFailed) return { message: oneLine(error.message), exitCode: EXIT.failure };
  if (isConfigError(error))
    return { message: `invalid configuration: ${error.problems.join('; ')}`, exitCode: EXIT.usage };
  if (isCatalogError(error)) {
    const exitCode = USAGE_CODES.has(error.code) ? EXIT.usage : EXIT.failure;
    if (error.code === 'validation_failed' && error.errors?.length) {
      const problems = error.errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message));
      return { message: `invalid input: ${problems.join('; ')}`, exitCode };
    }
    return { message: oneLine(error.message), exitCode };
  }
  if (error instanceof Error) return { message: oneLine(error.message) || error.name, exitCode: EXIT.failure };
  return { message: oneLine(String(error)), exitCode: EXIT.failure };
}

/** The full story for `--debug`: stack traces of the error and of each `cause`. */
export function debugDetails(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    parts.push(current instanceof Error ? (current.stack ?? current.message) : String(current));
    current = current instanceof Error ? current.cause : undefined;
    if (current !== undefined) parts.push('caused by:');
  }
  return parts.join('\n');
}

// Recognised by their stable `code` rather than `instanceof`, so that this module does not load
// the core (and the ORM) at start-up; the codes are the contract's.
function isCatalogError(error: unknown): error is Error & { code: ErrorCode; errors?: FieldError[] } {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code);
}

function isConfigError(error: unknown): error is Error & { problems: string[] } {
  return (
    error instanceof Error &&
    (error as { code?: unknown }).code === 'invalid_config' &&
    Array.isArray((error as { problems?: unknown }).problems)
  );
}

function oneLine(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join(' ');
}
