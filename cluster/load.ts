/** What a bounded load loop saw. */
export interface LoadResult {
  ok: number;
  failed: number;
  /** Responses (and `network` errors) by status. */
  statuses: Record<string, number>;
  /** Responses by the `X-Served-By` header HAProxy adds. */
  servedBy: Record<string, number>;
  /** The failures: when they started (ms since the loop began), their status and how long they took. */
  failures: { at: number; status: string; ms: number }[];
  durationMs: number;
  /** Responses per second, failures included. */
  rps: number;
}

export interface LoadOptions {
  concurrency: number;
  /** The loop stops starting requests after this long… */
  durationMs: number;
  /** …or after this many requests, whichever comes first. */
  maxRequests: number;
  /** One request; `i` counts from 0. A 2xx/3xx response is a success. */
  send(i: number): Promise<Response>;
  /** Requests longer than this fail as `timeout` (default 10 s). */
  timeoutMs?: number;
}

/** Runs `send` from `concurrency` loops until the time or count bound; every request is awaited. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const result: LoadResult = { ok: 0, failed: 0, statuses: {}, servedBy: {}, failures: [], durationMs: 0, rps: 0 };
  const start = performance.now();
  const deadline = start + options.durationMs;
  let next = 0;
  const count = (key: string, map: Record<string, number>) => (map[key] = (map[key] ?? 0) + 1);
  const worker = async () => {
    while (performance.now() < deadline && next < options.maxRequests) {
      const i = next++;
      const sent = performance.now();
      let status: string;
      try {
        const response = await Promise.race([
          options.send(i),
          new Promise<never>((_, reject) =>
            setTimeout(() => reject(new Error('timeout')), options.timeoutMs ?? 10_000).unref(),
          ),
        ]);
        await response.arrayBuffer();
        status = String(response.status);
        count(response.headers.get('x-served-by') ?? 'unknown', result.servedBy);
      } catch (error) {
        status = error instanceof Error && error.message === 'timeout' ? 'timeout' : 'network';
      }
      count(status, result.statuses);
      if (/^[23]/.test(status)) result.ok++;
      else {
        result.failed++;
        result.failures.push({ at: Math.round(sent - start), status, ms: Math.round(performance.now() - sent) });
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  result.durationMs = Math.round(performance.now() - start);
  result.rps = Math.round(((result.ok + result.failed) / result.durationMs) * 1000);
  return result;
}
