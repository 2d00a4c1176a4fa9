import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync, appendFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/*
 * A private PostgreSQL primary and one streaming replica, for the cluster harness (cluster/main.ts)
 * and the replica tests of the packages: `initdb` in a temporary directory, its own ports, the
 * replica made with `pg_basebackup -R`. PostgreSQL refuses to run as root, so every server command
 * runs as the `postgres` user (runuser), which owns the directory.
 */

const run = promisify(execFile);

/** Where Debian puts PostgreSQL's server programs. */
export const POSTGRES_BIN = process.env.CATALOG_POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PostgresClusterOptions {
  /** Port of the primary; the replica takes the next one. */
  port: number;
  /** Addresses both servers listen on and accept (trust) connections from (default 127.0.0.1). */
  addresses?: string[];
  /** Networks (CIDR) allowed to connect, replication included (default: each address as /32). */
  clients?: string[];
  /** `recovery_min_apply_delay` of the replica, in ms (default 0). */
  replicaDelayMs?: number;
}

export interface PostgresCluster {
  readonly dir: string;
  readonly primaryPort: number;
  readonly replicaPort: number;
  /** postgres:// URL of a database on the primary, through `host` (default the first address). */
  primaryUrl(database?: string, host?: string): string;
  /** postgres:// URL of the same database on the replica. */
  replicaUrl(database?: string, host?: string): string;
  /** Creates a database on the primary (it reaches the replica by replication). */
  createDatabase(name: string): Promise<void>;
  /** Runs SQL on the primary as `postgres` and returns psql's unaligned output. */
  sql(text: string, database?: string, server?: 'primary' | 'replica'): Promise<string>;
  /** Waits until the replica has replayed everything the primary had written when called. */
  waitForReplay(timeoutMs?: number): Promise<void>;
  stop(server: 'primary' | 'replica', mode?: 'fast' | 'immediate'): Promise<void>;
  start(server: 'primary' | 'replica'): Promise<void>;
  /** Sets the replica's `recovery_min_apply_delay` (a reload, no restart). */
  setReplicaDelay(ms: number): Promise<void>;
  /** Stops both servers and deletes the directory (safe to call more than once). */
  destroy(): Promise<void>;
}

async function asPostgres(program: string, args: string[]): Promise<string> {
  const { stdout } = await run('runuser', ['-u', 'postgres', '--', join(POSTGRES_BIN, program), ...args], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

/** Starts a primary and a replica made from it; destroys what it made if any step fails. */
export async function startPostgresCluster(options: PostgresClusterOptions): Promise<PostgresCluster> {
  const addresses = options.addresses ?? ['127.0.0.1'];
  const clients = options.clients ?? addresses.map((address) => `${address}/32`);
  const dir = mkdtempSync(join(tmpdir(), 'catalog-pg-'));
  const postgresUid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
  chownSync(dir, postgresUid, postgresUid);
  const dataOf = { primary: join(dir, 'primary'), replica: join(dir, 'replica') };
  const ports = { primary: options.port, replica: options.port + 1 };
  const running = new Set<'primary' | 'replica'>();

  const start = async (server: 'primary' | 'replica') => {
    await asPostgres('pg_ctl', ['-D', dataOf[server], '-l', join(dir, `${server}.log`), '-w', '-t', '60', 'start']);
    running.add(server);
  };
  const stop = async (server: 'primary' | 'replica', mode: 'fast' | 'immediate' = 'fast') => {
    await asPostgres('pg_ctl', ['-D', dataOf[server], '-m', mode, '-w', '-t', '60', 'stop']);
    running.delete(server);
  };
  const url = (server: 'primary' | 'replica', database = 'postgres', host = addresses[0]!) =>
    `postgres://postgres@${host}:${ports[server]}/${database}`;
  const sql = (text: string, database = 'postgres', server: 'primary' | 'replica' = 'primary') =>
    run('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', url(server, database), '-c', text]).then(
      ({ stdout }) => stdout.trim(),
    );
  let destroyed = false;
  const destroy = async () => {
    if (destroyed) return;
    destroyed = true;
    for (const server of ['replica', 'primary'] as const) {
      if (running.has(server)) await stop(server, 'immediate').catch(() => undefined);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await asPostgres('initdb', ['-D', dataOf.primary, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
    appendFileSync(
      join(dataOf.primary, 'postgresql.conf'),
      [
        '',
        `port = ${ports.primary}`,
        `listen_addresses = '${addresses.join(',')}'`,
        `unix_socket_directories = '${dir}'`,
        'wal_level = replica',
        'max_wal_senders = 5',
        'hot_standby = on',
        'hot_standby_feedback = on',
        'max_connections = 200',
        // A test cluster: durability against power loss is not what is tested.
        'fsync = off',
        'full_page_writes = off',
        "shared_preload_libraries = ''",
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(dataOf.primary, 'pg_hba.conf'),
      ['local all all trust', 'local replication all trust']
        .concat(clients.flatMap((net) => [`host all all ${net} trust`, `host replication all ${net} trust`]))
        .join('\n') + '\n',
    );
    await start('primary');
    await asPostgres(
      'pg_basebackup',
      ['-h', dir, '-p', String(ports.primary), '-U', 'postgres', '-D', dataOf.replica].concat([
        '-R',
        '-X',
        'stream',
        '--no-sync',
      ]),
    );
    appendFileSync(
      join(dataOf.replica, 'postgresql.conf'),
      `\nport = ${ports.replica}\nrecovery_min_apply_delay = ${options.replicaDelayMs ?? 0}\n`,
    );
    await start('replica');
  } catch (error) {
    await destroy();
    throw error;
  }

  return {
    dir,
    primaryPort: ports.primary,
    replicaPort: ports.replica,
    primaryUrl: (database, host) => url('primary', database, host),
    replicaUrl: (database, host) => url('replica', database, host),
    createDatabase: async (name) => {
      await sql(`create database ${name}`);
    },
    sql,
    async waitForReplay(timeoutMs = 30_000) {
      const target = await sql('select pg_current_wal_lsn()');
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const caughtUp = await sql(`select pg_last_wal_replay_lsn() >= '${target}'::pg_lsn`, 'postgres', 'replica');
        if (caughtUp === 't') return;
        if (Date.now() > deadline) throw new Error(`the replica did not replay ${target} within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    stop,
    start,
    async setReplicaDelay(ms) {
      await sql(`alter system set recovery_min_apply_delay = ${Math.round(ms)}`, 'postgres', 'replica');
      await sql('select pg_reload_conf()', 'postgres', 'replica');
    },
    destroy,
  };
}
