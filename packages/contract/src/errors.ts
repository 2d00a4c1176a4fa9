import { z } from 'zod';

/** Every stable error `code` Catalog emits, on the wire and from the library. */
export const ERROR_CODES = [
  'validation_failed',
  'bad_request',
  'invalid_cursor',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'precondition_failed',
  'precondition_required',
  'idempotency_key_reused',
  'idempotency_key_in_flight',
  'cursor_expired',
  'service_unavailable',
  'internal',
] as const;

export const ErrorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const FieldErrorSchema = z.object({
  /** Dotted path of the bad field, e.g. `price` or `items.3.name`; '' when the input as a whole is wrong. */
  path: z.string(),
  message: z.string(),
});
export type FieldError = z.infer<typeof FieldErrorSchema>;

/** RFC 9457 problem details, the body of every error response. */
export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: ErrorCodeSchema,
  detail: z.string(),
  errors: z.array(FieldErrorSchema).optional(),
  request_id: z.string(),
});
export type Problem = z.infer<typeof ProblemSchema>;

/** RFC 6749 §5.2 error body of `POST /auth/token`. */
export const OAuthErrorSchema = z.object({
  error: z.enum([
    'invalid_request',
    'invalid_client',
    'invalid_grant',
    'unauthorized_client',
    'unsupported_grant_type',
    'invalid_scope',
  ]),
  error_description: z.string().optional(),
});
export type OAuthError = z.infer<typeof OAuthErrorSchema>;
