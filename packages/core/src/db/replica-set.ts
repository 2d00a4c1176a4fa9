import type { AbstractSqlConnection } from '@mikro-orm/knex';
import type { Config } from '../config.js';
import type { Orm } from './open.js';
import { parseLsn } from '@catalog/contract';
import { minimumReadPosition, readingAfter } from './wal-position.js';

/** How often each database is asked where its log is (ms). */
export const REPLICA_POLL_MS = 1000;

/** How long one health query may take before its database counts as unreachable (ms). */
const PROBE_TIMEOUT_MS = 2000;

/** Read replicas as a catalog exposes them (`catalog.replication`). */
export type Replication = Pick<ReplicaSet, 'status' | 'primaryPosition' | 'readingAfter'>;

/** What `/readyz` says about one database. */
export interface DatabaseStatus {
  role: 'primary' | 'replica';
  /** `host:port/database` (no credentials). */
  name: string;
  /** Whether the last health query answered. */
  reachable: boolean;
  /** Replicas: whether lag-tolerant reads go to it now. */
  in_rotation?: boolean;
  /** Replicas: how long ago the primary was at a position this replica has not replayed yet (ms); null if unknown. */
  lag_ms?: number | null;
  /** Where the log of this database is: the primary's current position, a replica's last replayed one. */
  lsn?: string | null;
}

interface ReplicaState {
  readonly connection: AbstractSqlConnection;
  readonly name: string;
  reachable: boolean;
  inRecovery: boolean;
  replayed: bigint | undefined;
  replayedText: string | null;
  lagMs: number | null;
  /** Set when a read on it failed; cleared by the next successful poll. */
  failed: boolean;
}

/** A position of the primary's log and when it was seen there. */
interface Sample {
  at: number;
  lsn: bigint;
  /** The first position seen: when the primary got there is unknown. */
  first?: boolean;
}

/** `host:port/database` of a postgres:// URL. */
function nameOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The read replicas MikroORM opened (its `replicas` option), and which of them may serve a read
 * now. MikroORM picks a replica at random and knows nothing of health or lag, so Catalog chooses
 * among the same connections itself: a monitor asks the primary for its log position and each
 * replica for its replayed position every REPLICA_POLL_MS; a replica is in rotation while it
 * answers, is in recovery, and is at most `replicaMaxLagMs` behind. Lag is measured on the
 * primary's positions (when it was last at a point the replica has not replayed), not on replay
 * timestamps, which go stale whenever the primary is idle.
 */
export class ReplicaSet {
  private readonly replicas: ReplicaState[];
  private primaryReachable = true;
  private primaryLsn: string | null = null;
  private samples: Sample[] = [];
  private next = 0;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private closed = false;

  private constructor(
    private readonly orm: Orm,
    private readonly config: Config,
    connections: AbstractSqlConnection[],
  ) {
    this.replicas = connections.map((connection, i) => ({
      connection,
      name: nameOf(config.replicaUrls[i]!),
      reachable: false,
      inRecovery: false,
      replayed: undefined,
      replayedText: null,
      lagMs: null,
      failed: false,
    }));
  }

  /** The replicas of `orm` (opened with `config.replicaUrls`), polled once now, then in the background. */
  static async open(orm: Orm, config: Config): Promise<ReplicaSet> {
    // MikroORM keeps its replica connections in the driver's protected `replicas` (what
    // getConnection('read') picks from at random); the set reads the same array.
    const connections = (orm.em.getDriver() as unknown as { replicas?: AbstractSqlConnection[] }).replicas;
    if (!Array.isArray(connections) || connections.length !== config.replicaUrls.length)
      throw new Error('MikroORM did not open the configured read replicas');
    const set = new ReplicaSet(orm, config, connections);
    await set.poll();
    set.schedule();
    return set;
  }

  /**
   * A replica that may serve a read now — in rotation and, when the current async context must
   * see the log up to a position (read-your-writes), known to have replayed it — taking turns;
   * undefined when none may (the read goes to the primary).
   */
  pick(): AbstractSqlConnection | undefined {
    const minimum = minimumReadPosition();
    const count = this.replicas.length;
    for (let i = 0; i < count; i++) {
      const replica = this.replicas[(this.next + i) % count]!;
      if (!this.inRotation(replica)) continue;
      if (minimum !== undefined && (replica.replayed === undefined || replica.replayed < minimum)) continue;
      this.next = (this.next + i + 1) % count;
      return replica.connection;
    }
    return undefined;
  }

  /**
   * Runs `fn` so that its reads go only to replicas that have replayed the log up to `lsn` (`X/Y`,
   * as primaryPosition returned it), else to the primary. A value that is not an LSN is ignored.
   */
  readingAfter<T>(lsn: string, fn: () => T): T {
    const position = parseLsn(lsn);
    return position === undefined ? fn() : readingAfter(position, fn);
  }

  /** Takes a replica whose read failed out of rotation until it answers a poll again. */
  failed(connection: AbstractSqlConnection): void {
    const replica = this.replicas.find((r) => r.connection === connection);
    if (replica) replica.failed = true;
  }

  /** The primary's current log position (`X/Y`): at least the end of every transaction committed before the call. */
  async primaryPosition(): Promise<string> {
    const [row] = await this.orm.em
      .getConnection('write')
      .execute<{ lsn: string }[]>('select pg_current_wal_lsn()::text as lsn', [], 'all');
    return row!.lsn;
  }

  /** What the last poll found, primary first. */
  status(): DatabaseStatus[] {
    return [
      {
        role: 'primary',
        name: nameOf(this.config.database.url),
        reachable: this.primaryReachable,
        lsn: this.primaryLsn,
      },
      ...this.replicas.map((r) => ({
        role: 'replica' as const,
        name: r.name,
        reachable: r.reachable,
        in_rotation: this.inRotation(r),
        lag_ms: r.lagMs,
        lsn: r.replayedText,
      })),
    ];
  }

  /** Stops the monitor (the connections close with the ORM). */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.polling;
  }

  private inRotation(replica: ReplicaState): boolean {
    return (
      replica.reachable &&
      !replica.failed &&
      replica.inRecovery &&
      replica.lagMs !== null &&
      replica.lagMs <= this.config.replicaMaxLagMs
    );
  }

  private schedule(): void {
    if (this.closed) return;
    this.timer = setTimeout(() => {
      this.polling = this.poll().finally(() => this.schedule());
    }, REPLICA_POLL_MS);
    // The monitor never keeps a process alive by itself.
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    // The primary first: a replica's position is then compared with one the primary had already reached.
    await this.pollPrimary();
    await Promise.all(this.replicas.map((replica) => this.pollReplica(replica)));
  }

  private async pollPrimary(): Promise<void> {
    try {
      const lsn = await withTimeout(this.primaryPosition(), PROBE_TIMEOUT_MS);
      const now = Date.now();
      this.primaryReachable = true;
      this.primaryLsn = lsn;
      const position = parseLsn(lsn)!;
      const first = this.samples.length === 0 ? { first: true } : {};
      if (this.samples.at(-1)?.lsn !== position) this.samples.push({ at: now, lsn: position, ...first });
      // Keep what can tell a lag up to the limit, and a little more.
      const horizon = now - 2 * this.config.replicaMaxLagMs - 10 * REPLICA_POLL_MS;
      while (this.samples.length > 1 && this.samples[1]!.at < horizon) this.samples.shift();
    } catch {
      this.primaryReachable = false;
    }
  }

  private async pollReplica(replica: ReplicaState): Promise<void> {
    try {
      const [row] = await withTimeout(
        replica.connection.execute<{ recovery: boolean; lsn: string | null }[]>(
          'select pg_is_in_recovery() as recovery, pg_last_wal_replay_lsn()::text as lsn',
          [],
          'all',
        ),
        PROBE_TIMEOUT_MS,
      );
      replica.reachable = true;
      replica.failed = false;
      replica.inRecovery = row!.recovery;
      replica.replayedText = row!.lsn;
      replica.replayed = parseLsn(row!.lsn);
      replica.lagMs = this.lagOf(replica.replayed);
    } catch {
      replica.reachable = false;
      replica.lagMs = null;
    }
  }

  /**
   * How long ago the primary was first seen at a position beyond `replayed` (0 when it has not
   * been); null when unknown (no sample yet, or the replica is behind the very first one).
   */
  private lagOf(replayed: bigint | undefined): number | null {
    if (replayed === undefined || this.samples.length === 0) return null;
    const ahead = this.samples.find((sample) => sample.lsn > replayed);
    if (ahead === undefined) return 0;
    return ahead.first ? null : Date.now() - ahead.at;
  }
}
