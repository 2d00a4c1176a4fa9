import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { uuidv7 } from 'uuidv7';
import { RefreshTokenEntity } from '../db/entities.js';
import type { Orm } from '../db/open.js';
import { withBusyRetry } from '../db/retry.js';
import { UnauthorizedError } from '../errors.js';

/** 256 random bits, base64url (43 characters). */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * What the database keeps instead of the token: SHA-256 hex. A fast hash is enough here (unlike
 * passwords) because the token has 256 bits of entropy; nothing is gained by stretching it.
 */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A refresh token just issued, with the owner and the family (sign-in session) it belongs to. */
export interface IssuedRefreshToken {
  userId: string;
  token: string;
  family: string;
}

type RotateOutcome = ({ kind: 'rotated' } & IssuedRefreshToken) | { kind: 'unknown' | 'reused' | 'expired' };

/**
 * Opaque, single-use refresh tokens grouped in families: each login starts a family, each
 * refresh retires the presented token and issues the next one of the same family. A token shown
 * twice means two parties hold it (one of them a thief), so the whole family is revoked.
 */
export class RefreshTokens {
  constructor(
    private readonly orm: Orm,
    /** Lifetime in seconds. */
    private readonly ttl: number,
  ) {}

  /**
   * Issues a token for `userId` in a new family (a new login).
   *
   * @example
   * const { token: refresh_token, family } = await refreshTokens.issue(user.id);
   */
  async issue(userId: string): Promise<IssuedRefreshToken> {
    const family = uuidv7();
    return { userId, family, token: await this.insert(this.orm.em.fork(), userId, family, new Date()) };
  }

  /**
   * Exchanges `token` for the next token of its family and returns it with the owner's id.
   *
   * @example
   * const { userId, token: next, family } = await refreshTokens.rotate(presented);
   * @throws {UnauthorizedError} when the token is unknown, expired, revoked or already used — the
   * last two also revoke its whole family.
   */
  async rotate(token: string): Promise<IssuedRefreshToken> {
    const hash = hashRefreshToken(token);
    // The transaction never throws on a bad token: it returns why, so a family revocation made
    // inside it is committed rather than rolled back with the error.
    // It reads, then writes: on SQLite another process's commit in between makes it busy; rerun it.
    const outcome = await withBusyRetry(() =>
      this.orm.em.fork().transactional(async (em): Promise<RotateOutcome> => {
        const row = await em.findOne(RefreshTokenEntity, { token_hash: hash });
        if (!row) return { kind: 'unknown' };
        const now = new Date();
        if (row.used_at || row.revoked_at) {
          await revokeFamily(em, row.family_id, now);
          return { kind: 'reused' };
        }
        if (row.expires_at.getTime() <= now.getTime()) return { kind: 'expired' };
        // The conditional update is the lock: of two concurrent refreshes of one token only one
        // changes the row (PostgreSQL re-checks the WHERE after the first commits; SQLite runs
        // the transactions one after the other). The loser is treated as reuse.
        const claimed = await em.nativeUpdate(
          RefreshTokenEntity,
          { id: row.id, used_at: null, revoked_at: null },
          { used_at: now },
        );
        if (claimed !== 1) {
          await revokeFamily(em, row.family_id, now);
          return { kind: 'reused' };
        }
        const next = await this.insert(em, row.user_id, row.family_id, now);
        return { kind: 'rotated', userId: row.user_id, family: row.family_id, token: next };
      }),
    );
    switch (outcome.kind) {
      case 'rotated':
        return { userId: outcome.userId, token: outcome.token, family: outcome.family };
      case 'reused':
        throw UnauthorizedError.invalidToken('Refresh token was already used or revoked; its session has been revoked');
      case 'expired':
        throw UnauthorizedError.invalidToken('Refresh token expired');
      case 'unknown':
        throw UnauthorizedError.invalidToken('Refresh token is not valid');
    }
  }

  /**
   * Revokes the family of `token` (logout). An unknown token is ignored: logging out twice is fine.
   *
   * @example
   * await refreshTokens.revokeFamilyOf(presented);
   */
  async revokeFamilyOf(token: string): Promise<void> {
    const em = this.orm.em.fork();
    const row = await em.findOne(
      RefreshTokenEntity,
      { token_hash: hashRefreshToken(token) },
      { fields: ['family_id'] },
    );
    if (row) await revokeFamily(em, row.family_id, new Date());
  }

  private async insert(em: EntityManager, userId: string, familyId: string, now: Date): Promise<string> {
    const token = newRefreshToken();
    await em.insert(RefreshTokenEntity, {
      id: uuidv7(),
      token_hash: hashRefreshToken(token),
      family_id: familyId,
      user_id: userId,
      expires_at: new Date(now.getTime() + this.ttl * 1000),
      used_at: null,
      revoked_at: null,
      created_at: now,
    });
    return token;
  }
}

function revokeFamily(em: EntityManager, familyId: string, now: Date): Promise<number> {
  return em.nativeUpdate(RefreshTokenEntity, { family_id: familyId, revoked_at: null }, { revoked_at: now });
}

/**
 * Revokes every live refresh-token family of `userId` except `keepFamily` (the caller's own
 * session, when it changes its password), in the caller's transaction.
 *
 * @example
 * await revokeSessions(em, user.id); // disabled: no session survives
 */
export function revokeSessions(em: EntityManager, userId: string, keepFamily?: string): Promise<number> {
  const where = { user_id: userId, revoked_at: null, ...(keepFamily ? { family_id: { $ne: keepFamily } } : {}) };
  return em.nativeUpdate(RefreshTokenEntity, where, { revoked_at: new Date() });
}
