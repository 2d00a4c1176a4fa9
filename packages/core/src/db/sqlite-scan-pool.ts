import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ReadConnection } from './read-connection.js';
import type { ScanReply, ScanRequest } from './sqlite-scan-worker.js';

interface Task {
  id: number;
  sql: string;
  params: readonly unknown[];
  resolve(rows: object[]): void;
  reject(error: Error): void;
}

interface Thread {
  worker: Worker;
  /** The statement it runs; undefined when idle. */
  task?: Task;
}

/**
 * Reads that may scan, on a few worker threads, each with its own read-only better-sqlite3
 * connection (sqlite-scan-worker.ts): a scan of seconds occupies one thread, never the event loop,
 * and the catalog reads SQLite through one binding. Statements wait in one queue for the first
 * idle thread; threads start on the first statements that need them, so a process that never
 * scans (most CLI commands) starts none. An idle thread does not keep the process alive; a busy
 * one does, until its statement answers.
 */
export class SqliteScanPool implements ReadConnection {
  private readonly threads: Thread[] = [];
  private readonly queue: Task[] = [];
  private nextId = 0;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly path: string,
    private readonly size: number,
  ) {}

  all<R extends object>(sql: string, params: readonly unknown[]): Promise<R[]> {
    if (this.closing) return Promise.reject(closedError());
    return new Promise<R[]>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, sql, params, resolve: resolve as (rows: object[]) => void, reject });
      this.pump();
    });
  }

  /** Lets the running statements finish, fails the queued ones, closes every connection and ends the threads. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const task of this.queue.splice(0)) task.reject(closedError());
      await Promise.all(this.threads.map((thread) => this.end(thread)));
    })();
    return this.closing;
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const thread = this.threads.find((candidate) => !candidate.task) ?? this.spawn();
      if (!thread) return;
      const task = this.queue.shift()!;
      thread.task = task;
      thread.worker.ref();
      thread.worker.postMessage({ id: task.id, sql: task.sql, params: task.params } satisfies ScanRequest);
    }
  }

  private spawn(): Thread | undefined {
    if (this.threads.length >= this.size) return undefined;
    const thread: Thread = { worker: startWorker(this.path) };
    thread.worker.on('message', (reply: ScanReply) => {
      if (reply.id < 0) return; // the answer to close, awaited by its 'exit'
      const task = thread.task;
      thread.task = undefined;
      // While closing, end() holds the thread referenced until it exits: the process must wait
      // for the connection to close, even when nothing else is left to run.
      if (!this.closing) thread.worker.unref();
      if (task?.id === reply.id) {
        if ('error' in reply) task.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
        else task.resolve(reply.rows);
      }
      this.pump();
    });
    // A thread that dies (out of memory, a crash of the driver) fails its statement and leaves the
    // pool; the next statement starts another.
    thread.worker.on('error', (error) => {
      this.threads.splice(this.threads.indexOf(thread), 1);
      thread.task?.reject(error);
      thread.task = undefined;
      this.pump();
    });
    this.threads.push(thread);
    return thread;
  }

  private async end(thread: Thread): Promise<void> {
    const exited = new Promise<void>((resolve) => thread.worker.once('exit', () => resolve()));
    // Behind its running statement, if any: the thread answers that one first.
    thread.worker.ref();
    thread.worker.postMessage({ id: -1, close: true } satisfies ScanRequest);
    await exited;
  }
}

function closedError(): Error {
  return Object.assign(new Error('the catalog is closed'), { code: 'SQLITE_MISUSE' });
}

/**
 * The worker file sits beside this module under the same extension: `sqlite-scan-worker.ts` in
 * the sources, `sqlite-scan-worker.js` in dist/ (an entry point of core's build, beside the
 * chunk this code is bundled into). From the sources the thread registers tsx first: Node 20
 * does not run the parent's `--import` hooks in a worker.
 */
function startWorker(path: string): Worker {
  const extension = extname(fileURLToPath(import.meta.url));
  const file = new URL(`./sqlite-scan-worker${extension}`, import.meta.url);
  const workerData = { path };
  if (extension !== '.ts') return new Worker(file, { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  const source = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(file.href)}); });`;
  return new Worker(source, { eval: true, workerData });
}
