import type { QueryKind } from '@catalog/core';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { PolicyName } from '../rate-limit/limits.js';
import { clusterMetricsText } from './cluster.js';

/** The `route` label of requests that matched no route: one value, however many paths are tried. */
export const UNMATCHED_ROUTE = 'unmatched';

const REQUEST_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const QUERY_SECONDS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5];

/**
 * The server's Prometheus metrics, in a registry of its own (two servers in one process never
 * share counters), with the Node process metrics beside them. Everything that counts something
 * calls one of these methods; nothing else touches prom-client.
 *
 * @example
 * const metrics = new ServerMetrics();
 * metrics.request('GET', '/products/:id', 200, 0.004);
 * const text = await metrics.text();
 */
export class ServerMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly requestSeconds: Histogram<'method' | 'route' | 'status'>;
  private readonly querySeconds: Histogram<'kind'>;
  private readonly rateLimitRefusals: Counter<'limit'>;
  private readonly idempotentReplays: Counter;
  private readonly sseStreams: Gauge;
  private readonly collect: () => Promise<string>;

  /**
   * @param options.clusterWorker this process is a cluster worker whose primary runs
   *   `serveClusterMetrics()`: `text()` answers with the sum over every worker.
   */
  constructor(options: { clusterWorker?: boolean } = {}) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'catalog_http_requests_total',
      help: 'HTTP requests answered, by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.requestSeconds = new Histogram({
      name: 'catalog_http_request_duration_seconds',
      help: 'Time from receiving a request to its response being ready, by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets: REQUEST_SECONDS,
      registers,
    });
    this.querySeconds = new Histogram({
      name: 'catalog_db_query_duration_seconds',
      help: 'Database statements by the way they ran: read (bounded reads), scan (SQLite scan threads), orm (the ORM)',
      labelNames: ['kind'],
      buckets: QUERY_SECONDS,
      registers,
    });
    this.rateLimitRefusals = new Counter({
      name: 'catalog_rate_limit_refusals_total',
      help: 'Requests refused with 429, by the limit they exceeded (auth: per client IP; login: failed logins)',
      labelNames: ['limit'],
      registers,
    });
    // Published at 0 from the start, so that rate() over them works before the first refusal.
    for (const limit of ['auth', 'login'] satisfies PolicyName[]) this.rateLimitRefusals.inc({ limit }, 0);
    this.collect = options.clusterWorker ? clusterMetricsText(this.registry) : () => this.registry.metrics();
    this.idempotentReplays = new Counter({
      name: 'catalog_idempotent_replays_total',
      help: 'Requests answered with the stored response of an earlier request with the same Idempotency-Key',
      registers,
    });
    this.sseStreams = new Gauge({
      name: 'catalog_sse_streams_open',
      help: 'Server-sent event streams open now',
      registers,
    });
  }

  /** Counts one answered request; `route` is its template (e.g. `/products/:id`) or UNMATCHED_ROUTE. */
  request(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.requests.inc(labels);
    this.requestSeconds.observe(labels, seconds);
  }

  /** Records one database statement. */
  query(kind: QueryKind, seconds: number): void {
    this.querySeconds.observe({ kind }, seconds);
  }

  /** Counts one request refused for exceeding the limit `limit`. */
  rateLimited(limit: PolicyName): void {
    this.rateLimitRefusals.inc({ limit });
  }

  /** Counts one request answered by replaying a stored response. */
  idempotentReplay(): void {
    this.idempotentReplays.inc();
  }

  /** An SSE stream opened; pair every call with one `sseClosed()` when it ends, however it ends. */
  sseOpened(): void {
    this.sseStreams.inc();
  }

  /** An SSE stream closed. */
  sseClosed(): void {
    this.sseStreams.dec();
  }

  /** The Content-Type of `text()`. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Every metric in the Prometheus text exposition format (of every worker, in a cluster worker). */
  text(): Promise<string> {
    return this.collect();
  }
}
