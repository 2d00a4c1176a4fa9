import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/*
 * bcrypt on worker threads. bcryptjs's async API yields to the event loop between slices of
 * ~100 ms, but each slice still blocks it: with many logins at once, a GET /products waited for
 * dozens of slices (the login-contention scenario of bench/README.md). On a worker thread a hash blocks
 * nothing, and a second core can run it.
 *
 * The worker's code is inline (eval) so that it runs the same from the TypeScript sources, the
 * tsup bundle and a Docker image, and loads bcryptjs by absolute path.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const bcrypt = require(workerData.bcrypt);
parentPort.on('message', ({ id, op, password, hashOrCost }) => {
  try {
    const result = op === 'hash' ? bcrypt.hashSync(password, hashOrCost) : bcrypt.compareSync(password, hashOrCost);
    parentPort.postMessage({ id, result });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error) });
  }
});
`;

type Op = 'hash' | 'compare';
interface Task {
  id: number;
  op: Op;
  password: string;
  hashOrCost: string | number;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/**
 * Threads of the pool: one per core but one, at most 4. bcrypt is CPU-bound, so more would only
 * queue; and a core left to the event loop keeps every other request fast while logins pour in
 * (a thread on every core slowed the page requests measurably; figures in bench/README.md).
 */
const SIZE = Math.max(1, Math.min(4, availableParallelism() - 1));
const BCRYPT_PATH = createRequire(import.meta.url).resolve('bcryptjs');

const idle: Worker[] = [];
const queue: Task[] = [];
const running = new Map<Worker, Task>();
let created = 0;
let nextId = 0;

function spawn(): Worker {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { bcrypt: BCRYPT_PATH } });
  worker.on('message', (message: { id: number; result?: unknown; error?: string }) => {
    const task = running.get(worker);
    running.delete(worker);
    if (task) {
      if (message.error === undefined) task.resolve(message.result);
      else task.reject(new Error(message.error));
    }
    // An idle worker must not keep a CLI command or a test process alive; a busy one must.
    worker.unref();
    idle.push(worker);
    pump();
  });
  worker.on('error', (error) => {
    const task = running.get(worker);
    running.delete(worker);
    created--;
    task?.reject(error);
    pump();
  });
  return worker;
}

function pump(): void {
  while (queue.length > 0) {
    let worker = idle.pop();
    if (!worker && created < SIZE) {
      created++;
      worker = spawn();
    }
    if (!worker) return;
    const task = queue.shift()!;
    running.set(worker, task);
    worker.ref();
    worker.postMessage({ id: task.id, op: task.op, password: task.password, hashOrCost: task.hashOrCost });
  }
}

const observers = new Set<(op: Op, hashOrCost: string | number) => void>();

/**
 * Calls `listener` with every bcrypt operation submitted to the pool (tests use it to check that
 * a login with an unknown email still runs a full compare). Returns the function that removes it.
 *
 * @example
 * const stop = observeBcrypt((op, hash) => seen.push(hash)); … stop();
 */
export function observeBcrypt(listener: (op: Op, hashOrCost: string | number) => void): () => void {
  observers.add(listener);
  return () => observers.delete(listener);
}

/**
 * Runs one bcrypt operation on the pool: `hash` with a cost, or `compare` with a hash.
 *
 * @example
 * const hash = (await runOnPool('hash', 'correct horse battery', 12)) as string;
 * @throws {Error} when bcrypt rejects its input (e.g. an invalid cost).
 */
export function runOnPool(op: Op, password: string, hashOrCost: string | number): Promise<unknown> {
  for (const observer of observers) observer(op, hashOrCost);
  return new Promise((resolve, reject) => {
    queue.push({ id: nextId++, op, password, hashOrCost, resolve, reject });
    pump();
  });
}
