import autocannon from 'autocannon';
import { measureUsage } from './process-usage.js';

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
  /** The status every response should have (default: any 2xx); e.g. 304 for a conditional GET that matches. */
  expectStatus?: number;
  /** The server's process id: its CPU and RSS (its cluster workers' included) are sampled over the measured run. */
  serverPid?: number;
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
  /** Responses that were not 2xx (or not `expectStatus`), and connection errors: any means a broken scenario. */
  failures: number;
  /**
   * Server CPU (user + system, all threads, all workers) over the measured run per response, in
   * microseconds; present when `serverPid` was given.
   */
  cpuUsPerRequest?: number;
  /** Highest resident memory of the server (its workers summed) sampled during the measured run, in MiB. */
  peakRssMiB?: number;
}

/**
 * Drives `spec.url` with autocannon: fixed connections and duration, a warm-up run first.
 *
 * @example
 * const headers = { authorization: `Bearer ${token}` };
 * const first = await load({ url, paths: ['/products'], headers, connections: 10, duration: 10, warmup: 3 });
 */
export async function load(spec: LoadSpec): Promise<LoadResult> {
  if (spec.warmup > 0) await run(spec, spec.warmup, { times: [], responses: 0 });
  const seen: Responses = { times: [], responses: 0 };
  const measured = async () => run(spec, spec.duration, seen);
  const usage = spec.serverPid === undefined ? undefined : await measureUsage(spec.serverPid, measured);
  const result = usage?.result ?? (await measured());
  const times = seen.times.sort((a, b) => a - b);
  return {
    rps: times.length / result.duration,
    // Without a single completed request there are no percentiles: NaN reads as missing.
    p50: percentile(times, 0.5),
    p99: percentile(times, 0.99),
    failures: seen.responses - times.length + result.errors,
    ...(usage && {
      cpuUsPerRequest: seen.responses > 0 ? usage.cpuMicros / seen.responses : Number.NaN,
      peakRssMiB: usage.peakRssMiB,
    }),
  };
}

/** What the response events of one run saw: the time of every expected response, and the count of all. */
interface Responses {
  times: number[];
  responses: number;
}

/** The nearest-rank percentile `q` of ascending `sorted`, rounded to the microsecond. */
function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const value = sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return Math.round(value * 1000) / 1000;
}

function run(spec: LoadSpec, duration: number, seen: Responses): autocannon.Instance & PromiseLike<autocannon.Result> {
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
  const expected = (status: number) =>
    spec.expectStatus === undefined ? status >= 200 && status < 300 : status === spec.expectStatus;
  // Every response's time in ms (a float); autocannon's own percentiles are whole milliseconds.
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, ms: number) => {
    seen.responses++;
    if (expected(statusCode)) seen.times.push(ms);
  });
  return instance;
}
