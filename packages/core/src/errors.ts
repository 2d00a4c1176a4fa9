import type { ErrorCode, FieldError } from '@catalog/contract';
import type { ZodError } from 'zod';

/**
 * Base class of every error Catalog throws on purpose. `code` is stable (switch on it); the
 * server maps it to an HTTP status in one table, the CLI to an exit code.
 */
export class CatalogError extends Error {
  readonly code: ErrorCode;
  /** Per-field problems, for `validation_failed`. */
  readonly errors?: FieldError[];

  constructor(code: ErrorCode, message: string, options?: { errors?: FieldError[]; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    if (options?.errors) this.errors = options.errors;
  }
}

export class ValidationError extends CatalogError {
  constructor(message: string, errors: FieldError[]) {
    super('validation_failed', message, { errors });
  }

  /** One entry per bad field, paths dotted (`items.3.price`); the input as a whole has the path ''. */
  static fromZod(error: ZodError, prefix: (string | number)[] = []): ValidationError {
    return ValidationError.of(fieldErrors(error, prefix));
  }

  /**
   * Every bad item of a list at once, each field named `[index].field` (`[3].price`; `[3]` for the
   * item itself), index in the list.
   */
  static fromZodItems(items: readonly { index: number; error: ZodError }[]): ValidationError {
    return ValidationError.of(
      items.flatMap(({ index, error }) =>
        fieldErrors(error, []).map(({ path, message }) => ({
          path: path === '' ? `[${index}]` : `[${index}].${path}`,
          message,
        })),
      ),
    );
  }

  private static of(errors: FieldError[]): ValidationError {
    const summary = errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ');
    return new ValidationError(`Invalid input: ${summary}`, errors);
  }

  /** One bad field found by a rule beyond the schema (e.g. a password that does not match). */
  static field(path: string, message: string): ValidationError {
    return new ValidationError(`Invalid input: ${path}: ${message}`, [{ path, message }]);
  }
}

/** One entry per bad field of a zod error, paths dotted after `prefix`. */
function fieldErrors(error: ZodError, prefix: (string | number)[]): FieldError[] {
  return error.issues.flatMap((issue): FieldError[] => {
    const path = [...prefix, ...issue.path].map(String);
    // One entry per unknown field, named by its own path, like every other bad field.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...path, key].join('.'), message: 'is not a known field' }));
    }
    // A problem of the input as a whole (no field to name) has the empty path.
    return [{ path: path.join('.'), message: issue.message }];
  });
}

export class InvalidCursorError extends CatalogError {
  constructor(message: string) {
    super('invalid_cursor', message);
  }
  static malformed(): InvalidCursorError {
    return new InvalidCursorError('Cursor is malformed: not a cursor issued by this server');
  }
  static altered(): InvalidCursorError {
    return new InvalidCursorError('Cursor was altered: its signature does not match');
  }
  static otherSort(): InvalidCursorError {
    return new InvalidCursorError('Cursor was issued for another sort order (sort_by/sort_order)');
  }
  static otherFilters(): InvalidCursorError {
    return new InvalidCursorError('Cursor was issued for other filters; start again without a cursor');
  }
}

export class UnauthorizedError extends CatalogError {
  constructor(message = 'Authentication required') {
    super('unauthorized', message);
  }
  static invalidCredentials(): UnauthorizedError {
    return new UnauthorizedError('Invalid email or password');
  }
  static invalidToken(reason = 'Invalid or expired token'): UnauthorizedError {
    return new UnauthorizedError(reason);
  }
  static accountDisabled(): UnauthorizedError {
    return new UnauthorizedError('This account is disabled');
  }
}

export class ForbiddenError extends CatalogError {
  constructor(message = 'You are not allowed to do this') {
    super('forbidden', message);
  }
  static adminOnly(): ForbiddenError {
    return new ForbiddenError('This operation requires the admin role');
  }
}

export class NotFoundError extends CatalogError {
  constructor(message: string) {
    super('not_found', message);
  }
  static product(id: string): NotFoundError {
    return new NotFoundError(`Product ${id} not found`);
  }
  static user(idOrEmail: string): NotFoundError {
    return new NotFoundError(`User ${idOrEmail} not found`);
  }
}

export class ConflictError extends CatalogError {
  constructor(message: string, errors?: FieldError[]) {
    super('conflict', message, errors ? { errors } : undefined);
  }
  static emailTaken(): ConflictError {
    return new ConflictError('A user with this email already exists');
  }
  static skuTaken(): ConflictError {
    return new ConflictError('Another product already has this SKU');
  }
  static idTaken(): ConflictError {
    return new ConflictError('A product with this id is present already');
  }
  /**
   * Imported products whose ids are present already (`index`: the input's 0-based position); the
   * message names the first few, `errors` all of them as `index.id`.
   */
  static idsTaken(taken: readonly { id: string; index: number }[]): ConflictError {
    const shown = taken.slice(0, 5).map(({ id, index }) => `${id} (input ${index})`);
    const more = taken.length > shown.length ? ` and ${taken.length - shown.length} more` : '';
    return new ConflictError(
      `${taken.length === 1 ? 'an imported product has an id' : `${taken.length} imported products have ids`} already present: ${shown.join(', ')}${more}`,
      taken.map(({ id, index }) => ({ path: `${index}.id`, message: `already present: ${id}` })),
    );
  }
}

/** A conditional write whose condition (`ifVersion`, HTTP `If-Match`) no longer holds: nothing was written. */
export class PreconditionFailedError extends CatalogError {
  constructor(
    message: string,
    /** The version the record has now. */
    readonly currentVersion: number,
  ) {
    super('precondition_failed', message);
    this.name = 'PreconditionFailedError';
  }
  static productVersion(id: string, expected: number, current: number): PreconditionFailedError {
    return new PreconditionFailedError(
      `Product ${id} is at version ${current}, not ${expected}: it changed since you read it`,
      current,
    );
  }
}

/** A change-feed cursor whose position was pruned (retention): changes after it are gone. */
export class CursorExpiredError extends CatalogError {
  constructor(message: string) {
    super('cursor_expired', message);
  }
  static pruned(days: number): CursorExpiredError {
    return new CursorExpiredError(
      `Cursor points before changes that were pruned (the feed keeps ${days} days): start again without a cursor`,
    );
  }
}

export class RateLimitedError extends CatalogError {
  /** Seconds until the client may retry. */
  readonly retryAfter: number;
  constructor(message: string, retryAfter: number) {
    super('rate_limited', message);
    this.retryAfter = retryAfter;
  }
}

export class ServiceUnavailableError extends CatalogError {
  constructor(message = 'The database is unavailable', options?: { cause?: unknown }) {
    super('service_unavailable', message, options);
  }
}

/**
 * The SQLite file a catalog was asked to open does not exist and `create: false` forbids making
 * it (a typo in a path must not leave an empty database behind). Not a wire error: no request
 * can cause it.
 */
export class DatabaseMissingError extends Error {
  readonly code = 'database_missing' as const;
  constructor(readonly path: string) {
    super(`No SQLite database at ${path}: the file does not exist (open it without { create: false } to create it)`);
    this.name = 'DatabaseMissingError';
  }
}

/** Configuration problems found at start, one message per bad value. */
export class ConfigError extends Error {
  readonly code = 'invalid_config' as const;
  constructor(readonly problems: string[]) {
    super(`Invalid Catalog configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}
