import autocannon from 'autocannon';

export interface LoadSpec {
  /** Base URL of the server. */
  url: string;
  /** Request paths, used in turn (one path: the same request every time). */
  paths: string[];
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  /** Measured seconds. */
  duration: number;
  /** Seconds of load before measuring (results discarded). */
  warmup: number;
}

export interface LoadResult {
  /** Successful (2xx) responses per second. */
  rps: number;
  /**
   * Latency percentiles in milliseconds, exact to the microsecond: taken from every 2xx response's
   * own time, because autocannon's histogram keeps whole milliseconds, too coarse for ratios of
   * 3–6 ms latencies.
   */
  p50: number;
  p99: number;
  /** Responses that were not 2xx, and connection errors: a scenario with any is reported as broken. */
  failures: number;
}

/**
 * Drives `spec.url` with autocannon: fixed connections and duration, a warm-up run first.
 *
 * @example
 * const headers = { authorization: `Bearer ${token}` };
 * const first = await load({ url, paths: ['/products'], headers, connections: 10, duration: 10, warmup: 3 });
 */
export async function load(spec: LoadSpec): Promise<LoadResult> {
  if (spec.warmup > 0) await run(spec, spec.warmup, []);
  const times: number[] = [];
  const result = await run(spec, spec.duration, times);
  times.sort((a, b) => a - b);
  return {
    rps: result['2xx'] / result.duration,
    // Without a single completed request there are no percentiles: NaN reads as missing.
    p50: percentile(times, 0.5),
    p99: percentile(times, 0.99),
    failures: result.non2xx + result.errors,
  };
}

/** The nearest-rank percentile `q` of ascending `sorted`, rounded to the microsecond. */
function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const value = sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return Math.round(value * 1000) / 1000;
}

function run(spec: LoadSpec, duration: number, times: number[]): autocannon.Instance & PromiseLike<autocannon.Result> {
  let next = 0;
  const headers = { ...(spec.body === undefined ? {} : { 'content-type': 'application/json' }), ...spec.headers };
  // Without a callback autocannon returns its instance (an EventEmitter) made thenable.
  const instance = autocannon({
    url: spec.url,
    connections: spec.connections,
    duration,
    method: spec.method ?? 'GET',
    headers,
    ...(spec.body === undefined ? {} : { body: spec.body }),
    requests: [
      {
        setupRequest: (request) => {
          request.path = spec.paths[next++ % spec.paths.length]!;
          return request;
        },
      },
    ],
  }) as unknown as autocannon.Instance & PromiseLike<autocannon.Result>;
  // Every response's time in ms (a float); autocannon's own percentiles are whole milliseconds.
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, ms: number) => {
    if (statusCode >= 200 && statusCode < 300) times.push(ms);
  });
  return instance;
}
