import { MIN_POSITION_HEADER, POSITION_HEADER } from '../http/read-your-writes.js';
import type { OpenApiDocument } from './document.js';

const WRITES = ['post', 'put', 'patch', 'delete'];
const READS = ['get'];
const LSN = { type: 'string', pattern: '^[0-9A-F]{1,8}/[0-9A-F]{1,8}$' };

const MIN_POSITION_PARAMETER = {
  name: MIN_POSITION_HEADER,
  in: 'header',
  required: false,
  description:
    'Read-your-writes with read replicas (CATALOG_DATABASE_REPLICA_URLS): the highest `Catalog-LSN` this client ' +
    'has received. The read is served by a replica only once it has replayed that position, else by the primary, ' +
    'so it never sees a state older than the client’s own writes. Ignored without replicas, or when not an LSN.',
  schema: LSN,
  example: '0/3000148',
};

const POSITION_HEADER_DOC = {
  description:
    'With read replicas only: the primary’s WAL position after this write committed. Send the highest one seen ' +
    'back as `Catalog-Min-LSN` (the SDK does). Left out if the primary could not be asked after the write.',
  schema: LSN,
};

interface Operation {
  parameters?: object[];
  responses: Record<string, { headers?: Record<string, object> }>;
}

/**
 * Documents the read-your-writes headers of http/read-your-writes.ts: `Catalog-Min-LSN` on every
 * GET, `Catalog-LSN` on the 2xx responses of every write.
 */
export function documentReadYourWrites(document: OpenApiDocument): OpenApiDocument {
  const components = (document.components ??= {}) as Record<string, Record<string, object>>;
  (components.parameters ??= {})[MIN_POSITION_HEADER] = MIN_POSITION_PARAMETER;
  (components.headers ??= {})[POSITION_HEADER] = POSITION_HEADER_DOC;
  for (const item of Object.values(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(item as Record<string, Operation>)) {
      if (READS.includes(method)) {
        (operation.parameters ??= []).push({ $ref: `#/components/parameters/${MIN_POSITION_HEADER}` });
      }
      if (!WRITES.includes(method)) continue;
      for (const [status, response] of Object.entries(operation.responses)) {
        if (!status.startsWith('2')) continue;
        response.headers = {
          ...response.headers,
          [POSITION_HEADER]: { $ref: `#/components/headers/${POSITION_HEADER}` },
        };
      }
    }
  }
  return document;
}
