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
  /** Latency percentiles in milliseconds. */
  p50: number;
  p99: number;
  /** Responses that were not 2xx, and connection errors: a scenario with any is reported as broken. */
  failures: number;
}

/**
 * Drives `spec.url` with autocannon: fixed connections and duration, a warm-up run first.
 *
 * @example
 * const first = await load({ url, paths: ['/products'], headers: { authorization: `Bearer ${token}` }, connections: 10, duration: 10, warmup: 3 });
 */
export async function load(spec: LoadSpec): Promise<LoadResult> {
  if (spec.warmup > 0) await run(spec, spec.warmup);
  const result = await run(spec, spec.duration);
  // Without a single completed request the percentiles would read 0 ms: report them as missing.
  const done = result['2xx'] > 0;
  return {
    rps: result['2xx'] / result.duration,
    p50: done ? result.latency.p50 : Number.NaN,
    p99: done ? result.latency.p99 : Number.NaN,
    failures: result.non2xx + result.errors,
  };
}

function run(spec: LoadSpec, duration: number): Promise<autocannon.Result> {
  let next = 0;
  const headers = { ...(spec.body === undefined ? {} : { 'content-type': 'application/json' }), ...spec.headers };
  return autocannon({
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
  });
}
