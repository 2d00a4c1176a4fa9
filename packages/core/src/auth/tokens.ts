import { createHmac, randomUUID } from 'node:crypto';
import { RoleSchema } from '@catalog/contract';
import { SignJWT, errors, jwtVerify } from 'jose';
import { LRUCache } from 'lru-cache';
import type { Actor } from '../actor.js';
import { UnauthorizedError } from '../errors.js';

/** The only algorithm Catalog signs with and accepts: pinned, so `none`/HS512/RS256 tokens fail. */
export const JWT_ALGORITHM = 'HS256';

/** Domain-separation label: the JWT key is derived from the secret, never the secret itself. */
const JWT_KEY_LABEL = 'catalog-jwt-v1';

/**
 * The HS256 key for access tokens: HMAC-SHA256(secret, label). Deriving it keeps the JWT key
 * distinct from the cursor-signing key although both come from the one configured secret.
 *
 * @example
 * const key = deriveJwtKey(process.env.CATALOG_SECRET!);
 */
export function deriveJwtKey(secret: string): Uint8Array {
  return new Uint8Array(createHmac('sha256', secret).update(JWT_KEY_LABEL).digest());
}

/**
 * Tokens remembered after a full verification. Verifying an HS256 JWT through WebCrypto costs a
 * key import and a thread-pool round trip (a large share of a page request in the benchmark's
 * profile, bench/README.md); a token string that verified once verifies again until it expires, so a repeat only
 * checks `exp`. Bounded, so a flood of distinct tokens cannot grow memory.
 */
const VERIFIED_TOKENS_MAX = 10_000;

interface VerifiedToken {
  actor: Actor;
  /** `exp` claim, in seconds since the epoch. */
  exp: number;
}

export interface AccessTokenSettings {
  secret: string;
  issuer: string;
  audience: string;
  /** Lifetime in seconds. */
  ttl: number;
}

/**
 * Signs and verifies the stateless access tokens (JWT, HS256). The role travels in the token:
 * a role change takes effect with the user's next token (next login or refresh), not before.
 */
export class AccessTokens {
  private readonly key: Uint8Array;
  private readonly verified = new LRUCache<string, VerifiedToken>({ max: VERIFIED_TOKENS_MAX });

  constructor(private readonly settings: AccessTokenSettings) {
    this.key = deriveJwtKey(settings.secret);
  }

  /** Lifetime of a new token in seconds (the `expires_in` of a token response). */
  get ttl(): number {
    return this.settings.ttl;
  }

  /**
   * A signed access token for `actor` with `sub`, `role`, `iat`, `exp`, `iss`, `aud` and `jti`,
   * and `sid` (the refresh-token family it was issued with) when the actor has a session.
   *
   * @example
   * const token = await tokens.sign({ id: user.id, role: user.role, session: familyId });
   */
  sign(actor: Actor): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const claims = actor.session === undefined ? { role: actor.role } : { role: actor.role, sid: actor.session };
    return new SignJWT(claims)
      .setProtectedHeader({ alg: JWT_ALGORITHM, typ: 'JWT' })
      .setSubject(actor.id)
      .setIssuer(this.settings.issuer)
      .setAudience(this.settings.audience)
      .setIssuedAt(now)
      .setExpirationTime(now + this.settings.ttl)
      .setJti(randomUUID())
      .sign(this.key);
  }

  /**
   * Checks signature (HS256 only), `exp`, `iss`, `aud` and `sub`, and returns who the token is for.
   *
   * @example
   * const actor = await tokens.verify(bearer); // { id, role }
   * @throws {UnauthorizedError} for a malformed, tampered, expired, foreign or wrongly signed token.
   */
  async verify(token: string): Promise<Actor> {
    const known = this.verified.get(token);
    if (known) {
      // jose's rule with no clock tolerance: expired once `exp` <= now.
      if (known.exp > Math.floor(Date.now() / 1000)) return { ...known.actor };
      this.verified.delete(token);
      throw UnauthorizedError.invalidToken('Access token expired');
    }
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        algorithms: [JWT_ALGORITHM],
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        requiredClaims: ['exp', 'iat', 'iss', 'aud', 'sub'],
      }));
    } catch (error) {
      throw UnauthorizedError.invalidToken(describe(error));
    }
    const role = RoleSchema.safeParse(payload.role);
    if (!role.success || !payload.sub)
      throw UnauthorizedError.invalidToken('Access token has no valid subject or role');
    const actor: Actor = { id: payload.sub, role: role.data };
    if (typeof payload.sid === 'string') actor.session = payload.sid;
    // requiredClaims guarantees a numeric `exp`.
    this.verified.set(token, { actor, exp: payload.exp! });
    return { ...actor };
  }
}

/** A short reason for the 401, without echoing the token back. */
function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'Access token expired';
  if (error instanceof errors.JWTClaimValidationFailed)
    return `Access token rejected: ${error.claim} claim check failed`;
  if (error instanceof errors.JOSEAlgNotAllowed) return 'Access token rejected: signing algorithm not allowed';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'Access token rejected: signature does not match';
  return 'Access token is malformed';
}
