import { randomUUID } from 'node:crypto';
import type { Orm } from '../db/open.js';
import { withBusyRetry } from '../db/retry.js';
import { transactionSql } from '../db/transaction-sql.js';

/** A response as stored under a key: replayed byte for byte. */
export interface StoredResponse {
  status: number;
  /** The headers that belong to the response itself (Content-Type, Location, …). */
  headers: Record<string, string>;
  body: Buffer;
}

/** Who asks, with which key, for which request. */
export interface IdempotencyRequest {
  /** Whose key it is: keys of different principals never meet (e.g. `user:<id>`, `ip:<address>`). */
  principal: string;
  /** The client's key, 1–255 characters. */
  key: string;
  /** A digest of what the request asks for (method, path, body); the same key must always come with the same one. */
  fingerprint: string;
}

/** The answer to a claim. */
export type ClaimOutcome =
  /** The caller owns the key now: run the request, then `complete` or `release` with this claim. */
  | { kind: 'claimed'; claim: string }
  /** A response is stored for this request: send it again. */
  | { kind: 'replay'; response: StoredResponse }
  /** The first request with this key has not finished yet. */
  | { kind: 'in_flight' }
  /** The key was used for a different request. */
  | { kind: 'reused' };

export interface IdempotencyStoreOptions {
  /** How long a completed key is kept, in milliseconds. */
  ttlMs: number;
  /**
   * How long a claim protects an unfinished request, in milliseconds (default 60 s). A process
   * that crashed mid-request never completes nor releases its claim; once the lease is over a
   * retry of the same request takes the key over and runs.
   */
  leaseMs?: number;
  /** The clock, epoch milliseconds. */
  now?: () => number;
}

interface Row {
  fingerprint: string;
  claim: string;
  status: number | string | null;
  headers: string | null;
  body: Buffer | Uint8Array | null;
}

/** Longest accepted key. */
export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;
const DEFAULT_LEASE_MS = 60_000;
const CLAIM_ATTEMPTS = 5;

/**
 * Idempotency keys in the database (table `idempotency_keys`), so that every process on it —
 * `catalog serve --workers N`, several containers on one PostgreSQL — sees the same keys.
 *
 * A claim is one atomic insert-if-absent: of two processes claiming the same key at once exactly
 * one wins. Each claim carries a random claim id, and `complete`/`release` act only while that
 * claim still owns the row, so a request whose lease was taken over cannot overwrite the
 * response of the request that took it over.
 *
 * @example
 * const outcome = await catalog.idempotency.claim({ principal: `user:${id}`, key, fingerprint });
 * if (outcome.kind === 'claimed') {
 *   const response = await run();
 *   await catalog.idempotency.complete(request, outcome.claim, response);
 * }
 */
export class IdempotencyStore {
  readonly ttlMs: number;
  readonly leaseMs: number;
  private readonly now: () => number;

  constructor(
    private readonly orm: Orm,
    options: IdempotencyStoreOptions,
  ) {
    this.ttlMs = options.ttlMs;
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.now = options.now ?? Date.now;
  }

  /**
   * Claims the key for this request, or says why not. An expired key counts as absent; an
   * unfinished claim older than the lease is taken over by the same request.
   * @throws the driver's error when the database is unavailable.
   */
  async claim(request: IdempotencyRequest): Promise<ClaimOutcome> {
    const { principal, key, fingerprint } = request;
    for (let attempt = 1; ; attempt++) {
      const now = this.now();
      const claim = randomUUID();
      const won = await this.sql(
        `insert into idempotency_keys (principal, key, fingerprint, claim, claimed_at, expires_at, status, headers, body)
         values (?, ?, ?, ?, ?, ?, null, null, null)
         on conflict (principal, key) do update set
           fingerprint = excluded.fingerprint, claim = excluded.claim, claimed_at = excluded.claimed_at,
           expires_at = excluded.expires_at, status = null, headers = null, body = null
         where idempotency_keys.expires_at <= ?
            or (idempotency_keys.status is null and idempotency_keys.claimed_at <= ?
                and idempotency_keys.fingerprint = excluded.fingerprint)
         returning claim`,
        [principal, key, fingerprint, claim, now, now + this.ttlMs, now, now - this.leaseMs],
      );
      if (won.length > 0) return { kind: 'claimed', claim };
      const [row] = await this.sql<Row>(
        'select fingerprint, claim, status, headers, body from idempotency_keys where principal = ? and key = ?',
        [principal, key],
      );
      // Gone between the two statements (released or swept): claim again.
      if (row) return outcomeOf(row, fingerprint);
      if (attempt >= CLAIM_ATTEMPTS) return { kind: 'in_flight' };
    }
  }

  /**
   * Stores the response of a claimed request; it is replayed until the key expires (TTL from now).
   * @returns false when the claim no longer owns the key (its lease was taken over): nothing stored.
   */
  async complete(request: IdempotencyRequest, claim: string, response: StoredResponse): Promise<boolean> {
    const rows = await this.sql(
      `update idempotency_keys set status = ?, headers = ?, body = ?, expires_at = ?
       where principal = ? and key = ? and claim = ? returning claim`,
      [
        response.status,
        JSON.stringify(response.headers),
        response.body,
        this.now() + this.ttlMs,
        request.principal,
        request.key,
        claim,
      ],
    );
    return rows.length > 0;
  }

  /** Gives the key up (the request failed in a way a retry may cure): the next request with it runs anew. */
  async release(request: IdempotencyRequest, claim: string): Promise<void> {
    await this.sql('delete from idempotency_keys where principal = ? and key = ? and claim = ?', [
      request.principal,
      request.key,
      claim,
    ]);
  }

  /**
   * Deletes at most `limit` expired keys; meant to run in the background, never in a request.
   * @returns how many were deleted.
   */
  async deleteExpired(limit = 1000): Promise<number> {
    // Led by WITH: MikroORM's SQLite driver runs a raw statement starting with DELETE without its rows.
    const rows = await this.sql(
      `with expired as (select principal, key from idempotency_keys where expires_at <= ? limit ?)
       delete from idempotency_keys where (principal, key) in (select principal, key from expired)
       returning key`,
      [this.now(), limit],
    );
    return rows.length;
  }

  /** How many keys are stored, expired ones included until the cleanup deletes them. */
  async count(): Promise<number> {
    const [row] = await this.sql<{ n: number | string }>('select count(*) as n from idempotency_keys', []);
    return Number(row?.n ?? 0);
  }

  private sql<R extends object = Record<string, unknown>>(sql: string, params: readonly unknown[]): Promise<R[]> {
    return withBusyRetry(() => transactionSql(this.orm.em.fork())<R>(sql, params));
  }
}

function outcomeOf(row: Row, fingerprint: string): ClaimOutcome {
  if (row.fingerprint !== fingerprint) return { kind: 'reused' };
  if (row.status === null) return { kind: 'in_flight' };
  return {
    kind: 'replay',
    response: {
      status: Number(row.status),
      headers: JSON.parse(row.headers ?? '{}') as Record<string, string>,
      body: Buffer.from(row.body ?? new Uint8Array()),
    },
  };
}
