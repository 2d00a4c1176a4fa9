import type { OpenApiDocument } from './document.js';

const WRITES = ['post', 'put', 'patch', 'delete'];
/** Statuses whose responses are never stored, so never replayed (http/idempotency.ts). */
const NEVER_REPLAYED = ['401', '408', '429'];

const PARAMETER = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Makes the request safe to retry (draft-ietf-httpapi-idempotency-key-header): 1–255 characters, e.g. a UUID, ' +
    'new for each operation. The first response to a key is stored for 24 h (CATALOG_IDEMPOTENCY_TTL_HOURS), per ' +
    'signed-in user (per client IP when anonymous), and a retry with the same key, method, path and body gets it ' +
    'again byte for byte with `Idempotent-Replayed: true`. 5xx, 401, 408, 429 and token (no-store) responses are ' +
    'not stored: a retry runs again.',
  schema: { type: 'string', minLength: 1, maxLength: 255 },
  example: '8e03978e-40d5-43e8-bc93-6894a57f9324',
};

const REPLAYED_HEADER = {
  description: '`true` when this response is the stored response to an earlier request with the same Idempotency-Key.',
  schema: { type: 'string', enum: ['true'] },
};

const IN_FLIGHT =
  '`idempotency_key_in_flight`: a request with this Idempotency-Key is still running; retry after Retry-After';
const REUSED =
  '`idempotency_key_reused`: this Idempotency-Key was used for a different request (method, path or body); ' +
  '`validation_failed` with `errors[].path` `Idempotency-Key` for a key that is empty or over 255 characters';

interface Response {
  description: string;
  headers?: Record<string, object>;
  content?: object;
}
interface Operation {
  parameters?: object[];
  responses: Record<string, Response>;
}

/**
 * Documents `Idempotency-Key` on every POST, PUT, PATCH and DELETE of `document`: the request
 * header (a parameter, so Swagger UI offers a field for it), `Idempotent-Replayed` on the
 * responses that can be replayed, and the 409/422 answers of the key itself.
 */
export function documentIdempotencyKeys(document: OpenApiDocument): OpenApiDocument {
  const components = (document.components ??= {}) as Record<string, Record<string, object>>;
  (components.parameters ??= {})['Idempotency-Key'] = PARAMETER;
  (components.headers ??= {})['Idempotent-Replayed'] = REPLAYED_HEADER;
  for (const item of Object.values(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(item as Record<string, Operation>)) {
      if (!WRITES.includes(method)) continue;
      (operation.parameters ??= []).push({ $ref: '#/components/parameters/Idempotency-Key' });
      const { responses } = operation;
      responses['409'] = withCase(responses['409'], responses, IN_FLIGHT);
      responses['409'].headers = {
        ...responses['409'].headers,
        'Retry-After': { $ref: '#/components/headers/Retry-After' },
      };
      responses['422'] = withCase(responses['422'], responses, REUSED);
      for (const [status, response] of Object.entries(responses)) {
        if (Number(status) >= 500 || NEVER_REPLAYED.includes(status)) continue;
        response.headers = {
          ...response.headers,
          'Idempotent-Replayed': { $ref: '#/components/headers/Idempotent-Replayed' },
        };
      }
    }
  }
  return document;
}

/**
 * The response with this case added to its description; a new problem response (the body and
 * headers of the operation's 500, which every operation documents) when it had none.
 */
function withCase(response: Response | undefined, responses: Record<string, Response>, text: string): Response {
  if (response) return { ...response, description: `${response.description}; or ${text}` };
  const { headers, content } = responses['500']!;
  return { description: text, headers: { ...headers }, content };
}
