import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { BODY_LIMIT } from '../body.js';

/** BODY_LIMIT (`100kb`, as the body parser reads it: 1 kb = 1024 bytes) in bytes. */
const LIMIT = Number(/^(\d+)kb$/.exec(BODY_LIMIT)?.[1]) * 1024;

/** The same error the body parser raises for a body over the limit, so it is answered the same way (413). */
function tooLarge(): Error {
  return Object.assign(new Error('request entity too large'), { status: 413, expose: true });
}

/**
 * Reads the raw request body (as sent, still compressed if it was) up to the body limit, and
 * puts an identical stream in place of the request for the parsers further down.
 *
 * @returns the body's bytes; empty when the request has none.
 * @throws an HTTP 413 error when the body is over the limit.
 */
export async function takeRequestBytes(ctx: { req: IncomingMessage }): Promise<Buffer> {
  const { req } = ctx;
  const length = req.headers['content-length'];
  if (length !== undefined && Number(length) > LIMIT) throw tooLarge();
  if (req.headers['transfer-encoding'] === undefined && (length === undefined || length === '0')) {
    return Buffer.alloc(0);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > LIMIT) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  const body = Buffer.concat(chunks);
  // The parsers read `ctx.req` (co-body) and its headers (inflation, content-length): a stream
  // with the same headers and bytes reads exactly like the original.
  const replay = Object.assign(new PassThrough(), { headers: req.headers, method: req.method, url: req.url });
  replay.end(body);
  ctx.req = replay as unknown as IncomingMessage;
  return body;
}
