import type { FieldError } from '@catalog/contract';
import { CatalogApiError, codeForStatus, type CatalogApiErrorCode } from './errors.js';

const OAUTH_CODES = new Set([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
]);

/** Reads a body as JSON; `undefined` when empty, and a marker when it is not JSON at all. */
async function readJson(response: Response): Promise<{ ok: true; value: unknown } | { ok: false; text: string }> {
  const text = await response.text();
  if (text === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, text };
  }
}

function isFieldErrors(value: unknown): value is FieldError[] {
  return (
    Array.isArray(value) &&
    value.every((e) => typeof e === 'object' && e !== null && typeof (e as FieldError).path === 'string')
  );
}

function retryAfterOf(response: Response): number | null {
  const header = response.headers.get('retry-after');
  if (header === null) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds;
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/**
 * Turns a non-2xx response into a `CatalogApiError`: problem+json (`code`, `detail`, `errors`,
 * `request_id`) and RFC 6749 token errors (`error`, `error_description`) are both understood;
 * anything else gets a code from its status.
 */
export async function errorFromResponse(response: Response): Promise<CatalogApiError> {
  const parsed = await readJson(response);
  const body = parsed.ok ? parsed.value : undefined;
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  let code: CatalogApiErrorCode = codeForStatus(response.status);
  let detail = response.statusText || `HTTP ${response.status}`;
  if (typeof fields.code === 'string') {
    code = fields.code as CatalogApiErrorCode;
    if (typeof fields.detail === 'string') detail = fields.detail;
    else if (typeof fields.title === 'string') detail = fields.title;
  } else if (typeof fields.error === 'string' && OAUTH_CODES.has(fields.error)) {
    code = fields.error as CatalogApiErrorCode;
    detail = typeof fields.error_description === 'string' ? fields.error_description : fields.error;
  }
  const headerId = response.headers.get('x-request-id');
  return new CatalogApiError({
    status: response.status,
    code,
    detail,
    errors: isFieldErrors(fields.errors) ? fields.errors : [],
    requestId: headerId ?? (typeof fields.request_id === 'string' ? fields.request_id : null),
    retryAfter: retryAfterOf(response),
    body,
  });
}

/**
 * The value of a 2xx response: its JSON, or `undefined` for an empty body (204).
 * @throws {CatalogApiError} `invalid_response` when the body is not JSON.
 */
export async function valueFromResponse(response: Response): Promise<unknown> {
  const parsed = await readJson(response);
  if (parsed.ok) return parsed.value;
  throw new CatalogApiError({
    status: response.status,
    code: 'invalid_response',
    detail: `Expected JSON from the server, got: ${parsed.text.slice(0, 80)}`,
    requestId: response.headers.get('x-request-id'),
  });
}
