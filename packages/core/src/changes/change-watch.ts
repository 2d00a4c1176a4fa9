import Database from 'better-sqlite3';
import pg from 'pg';
import type { Config } from '../config.js';
import { SQLITE_BUSY_TIMEOUT_MS } from '../db/open.js';
import type { RowReader } from '../db/row-reader.js';
import { CHANGES_CHANNEL } from './change-store.js';

/**
 * Tells watchers (ChangeService.watch) that the feed may have grown, whichever process wrote.
 * A watcher takes a `mark` BEFORE reading the feed, reads to its end, then waits on that mark:
 * a write committed between its read and its wait has already moved the mark, so it is not missed.
 */
export interface ChangeWake {
  mark(): Promise<number>;
  /** Resolves once something may have changed since `mark`, after `timeoutMs`, or on abort. */
  wait(mark: number, signal: AbortSignal | undefined, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/** How often a SQLite database is asked whether it changed, while anyone watches. */
export const SQLITE_POLL_MS = 200;

/**
 * PostgreSQL: a connection of its own LISTENs on the channel every writing transaction NOTIFYs
 * (delivered at commit). Opened on the first watch, closed with the catalog.
 */
class NotifyWake implements ChangeWake {
  private client: pg.Client | undefined;
  private connecting: Promise<void> | undefined;
  private count = 0;
  private readonly waiters = new Set<() => void>();

  constructor(private readonly url: string) {}

  private listen(): Promise<void> {
    this.connecting ??= (async () => {
      const client = new pg.Client({ connectionString: this.url });
      // A lost listener wakes every watcher (they read again) and is opened anew on the next mark.
      const lost = () => {
        if (this.client === client) this.client = undefined;
        this.connecting = undefined;
        this.bump();
      };
      client.on('notification', () => this.bump());
      client.on('error', lost);
      client.on('end', lost);
      await client.connect();
      await client.query(`listen ${CHANGES_CHANNEL}`);
      this.client = client;
    })().catch((error: unknown) => {
      this.connecting = undefined;
      throw error;
    });
    return this.connecting;
  }

  private bump(): void {
    this.count += 1;
    for (const wake of this.waiters) wake();
  }

  async mark(): Promise<number> {
    await this.listen();
    return this.count;
  }

  wait(mark: number, signal: AbortSignal | undefined, timeoutMs: number): Promise<void> {
    return waitFor(this.waiters, () => this.count !== mark, signal, timeoutMs);
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.connecting = undefined;
    await client?.end().catch(() => undefined);
  }
}

/**
 * SQLite: a version number read every SQLITE_POLL_MS, only while someone waits (an idle server
 * runs no timer). On a file, `pragma data_version` of a connection of its own, which moves with
 * every commit of any other connection or process; in `:memory:` (one connection, one process),
 * the last change number.
 */
class PollingWake implements ChangeWake {
  private version = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly readVersion: () => Promise<number>,
    private readonly closeSource: () => void,
  ) {}

  async mark(): Promise<number> {
    this.update(await this.readVersion());
    return this.version;
  }

  async wait(mark: number, signal: AbortSignal | undefined, timeoutMs: number): Promise<void> {
    this.timer ??= setInterval(() => void this.poll(), SQLITE_POLL_MS);
    try {
      await waitFor(this.waiters, () => this.version !== mark, signal, timeoutMs);
    } finally {
      if (this.waiters.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    }
  }

  private async poll(): Promise<void> {
    // A failed read wakes the watchers: their own read then fails, or finds what there is.
    this.update(await this.readVersion().catch(() => this.version + 1));
  }

  private update(version: number): void {
    if (version === this.version) return;
    this.version = version;
    for (const wake of this.waiters) wake();
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const wake of this.waiters) wake();
    this.closeSource();
  }
}

/** Resolves when `done()` holds after a wake-up, on timeout, or on abort; never rejects. */
function waitFor(
  waiters: Set<() => void>,
  done: () => boolean,
  signal: AbortSignal | undefined,
  timeoutMs: number,
): Promise<void> {
  if (done() || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const finish = () => {
      waiters.delete(check);
      clearTimeout(timer);
      signal?.removeEventListener('abort', finish);
      resolve();
    };
    const check = () => {
      if (done()) finish();
    };
    const timer = Number.isFinite(timeoutMs) ? setTimeout(finish, timeoutMs) : undefined;
    signal?.addEventListener('abort', finish, { once: true });
    waiters.add(check);
  });
}

/** The wake-up source for the database of `config`. */
export function openChangeWake(config: Config, read: RowReader): ChangeWake {
  if (config.database.kind === 'postgresql') return new NotifyWake(config.database.url);
  const path = config.database.path ?? ':memory:';
  if (path === ':memory:') {
    const lastChange = async () => {
      const [row] = await read<{ seq: number | null }>('select max(seq) as seq from changes');
      return Number(row?.seq ?? 0);
    };
    return new PollingWake(lastChange, () => undefined);
  }
  let db: Database.Database | undefined;
  const dataVersion = async () => {
    db ??= new Database(path, { fileMustExist: true, readonly: true, timeout: SQLITE_BUSY_TIMEOUT_MS });
    return Number(db.pragma('data_version', { simple: true }));
  };
  return new PollingWake(dataVersion, () => db?.close());
}
