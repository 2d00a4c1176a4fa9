/**
 * Jobs of statements that run one after another on one connection while the caller prepares the
 * next: `push` queues a job behind the one before it and resolves once that one is done, so at
 * most two jobs are ever in hand (one running, one waiting) and the caller's own work overlaps
 * the database's. A failed job fails every job behind it, and the next `push` or `drain` throws
 * its error.
 *
 * @example
 * const pipeline = statementPipeline();
 * for (const group of groups) await pipeline.push(() => sql(insert, [parameterOf(group)]));
 * await pipeline.drain();
 */
export interface StatementPipeline {
  /** Queues `job` behind the previous one; resolves when that previous one is done. */
  push(job: () => Promise<void>): Promise<void>;
  /** Resolves when every queued job is done. */
  drain(): Promise<void>;
}

export function statementPipeline(): StatementPipeline {
  let inflight: Promise<void> = Promise.resolve();
  return {
    async push(job) {
      const previous = inflight;
      const next = previous.then(job);
      // Observed here so that a failure is thrown by the next push or drain, not as an unhandled rejection.
      next.catch(() => undefined);
      inflight = next;
      await previous;
    },
    drain: () => inflight,
  };
}
