import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';
import { InvalidCursorError } from '../errors.js';
import { fingerprint } from './canonical-json.js';
import type { CursorBinding, CursorState, CursorValue, SortKey } from './types.js';

/** Signs cursors and verifies them against the query they are presented with. */
export interface CursorCodec {
  /** The opaque cursor for `state`, bound to `binding` (sort spec and filters). */
  encode(state: CursorState, binding: CursorBinding): string;
  /**
   * The state inside `token`, once its signature and binding are checked.
   * @throws {InvalidCursorError} malformed, altered, issued for another sort or for other filters.
   */
  decode(token: string, binding: CursorBinding): CursorState;
}

const VERSION = 1;
const MAC_BYTES = 32;
/** Far above any real cursor (a few hundred characters); refuses to parse huge inputs. */
const MAX_TOKEN_LENGTH = 2048;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** The JSON inside a cursor; short member names keep URLs short. */
interface Payload {
  v: number;
  /** `n` = next (rows after), `p` = prev (rows before). */
  d: 'n' | 'p';
  k: CursorValue[];
  /** Present (1) when the pointed-at row itself is included. */
  i?: 1;
  /** Fingerprint of the sort spec. */
  s: string;
  /** Fingerprint of the filters. */
  f: string;
}

/** The sort spec as far as it decides the order of rows (and so the meaning of a position). */
function sortFingerprint(sort: SortKey[]): string {
  return fingerprint(sort.map((key) => [key.field, key.direction, key.nullable === true, key.type]));
}

/**
 * A codec whose cursors are `base64url(HMAC-SHA256 ‖ JSON payload)`. The HMAC key is derived from
 * `secret` for this purpose only, so it differs from the key that signs access tokens.
 *
 * @example
 * const codec = createCursorCodec(process.env.CATALOG_SECRET!);
 * const binding = { sort: [{ field: 'id', direction: 'asc', type: 'string' }], filters: {} } as const;
 * const token = codec.encode({ travel: 'next', values: ['0190…'], inclusive: false }, binding);
 * codec.decode(token, binding); // → { travel: 'next', values: ['0190…'], inclusive: false }
 * @throws {TypeError} when `secret` is empty.
 */
export function createCursorCodec(secret: string): CursorCodec {
  if (secret.length === 0) throw new TypeError('createCursorCodec: the secret must not be empty');
  const key = createSecretKey(createHmac('sha256', secret).update('catalog-cursor-v1').digest());
  const sign = (json: Buffer) => createHmac('sha256', key).update(json).digest();
  // A page decodes one cursor and encodes up to two with one binding object: its fingerprints
  // (two SHA-256 digests of canonical JSON) are computed once per binding, not per cursor.
  const fingerprints = new WeakMap<CursorBinding, { s: string; f: string }>();
  const fingerprintsOf = (binding: CursorBinding) => {
    let known = fingerprints.get(binding);
    if (!known)
      fingerprints.set(binding, (known = { s: sortFingerprint(binding.sort), f: fingerprint(binding.filters) }));
    return known;
  };

  return {
    encode(state, binding) {
      const payload: Payload = {
        v: VERSION,
        d: state.travel === 'next' ? 'n' : 'p',
        k: state.values,
        ...(state.inclusive ? { i: 1 as const } : {}),
        ...fingerprintsOf(binding),
      };
      const json = Buffer.from(JSON.stringify(payload), 'utf8');
      return Buffer.concat([sign(json), json]).toString('base64url');
    },

    decode(token, binding) {
      if (token.length > MAX_TOKEN_LENGTH || !BASE64URL.test(token)) throw InvalidCursorError.malformed();
      const bytes = Buffer.from(token, 'base64url');
      // Unused low bits in the last character would let two texts decode alike; accept only the
      // canonical text, so that any change to a cursor is a change to what is verified.
      if (bytes.length <= MAC_BYTES || bytes.toString('base64url') !== token) throw InvalidCursorError.malformed();
      const mac = bytes.subarray(0, MAC_BYTES);
      const json = bytes.subarray(MAC_BYTES);
      const payload = parsePayload(json);
      if (!timingSafeEqual(mac, sign(json))) throw InvalidCursorError.altered();
      if (payload.v !== VERSION) throw InvalidCursorError.malformed();
      const expected = fingerprintsOf(binding);
      if (payload.s !== expected.s) throw InvalidCursorError.otherSort();
      if (payload.f !== expected.f) throw InvalidCursorError.otherFilters();
      if (!valuesFit(payload.k, binding.sort)) throw InvalidCursorError.malformed();
      return { travel: payload.d === 'n' ? 'next' : 'prev', values: payload.k, inclusive: payload.i === 1 };
    },
  };
}

function parsePayload(json: Buffer): Payload {
  let value: unknown;
  try {
    value = JSON.parse(json.toString('utf8'));
  } catch {
    throw InvalidCursorError.malformed();
  }
  if (typeof value !== 'object' || value === null) throw InvalidCursorError.malformed();
  const p = value as Record<string, unknown>;
  const ok =
    typeof p.v === 'number' &&
    (p.d === 'n' || p.d === 'p') &&
    Array.isArray(p.k) &&
    (p.i === undefined || p.i === 1) &&
    typeof p.s === 'string' &&
    typeof p.f === 'string';
  if (!ok) throw InvalidCursorError.malformed();
  return value as Payload;
}

/** Whether `values` has one value of the right type per sort key (NULL only where allowed). */
function valuesFit(values: CursorValue[], sort: SortKey[]): boolean {
  if (values.length !== sort.length) return false;
  return sort.every((key, index) => {
    const value = values[index];
    if (value === null) return key.nullable === true;
    if (key.type === 'string') return typeof value === 'string';
    if (key.type === 'date') return Number.isSafeInteger(value);
    return typeof value === 'number' && Number.isFinite(value);
  });
}
