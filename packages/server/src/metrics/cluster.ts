import cluster from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';

/*
 * Metrics across cluster workers. prom-client's AggregatorRegistry lets the primary collect every
 * worker's registry and add them up, but a scrape reaches a worker, not the primary (which serves
 * nothing). So the worker that is asked forwards the question to the primary over the cluster's
 * IPC channel, and answers with the sum the primary sends back.
 */

const REQUEST = 'catalog:metrics-request';
const RESPONSE = 'catalog:metrics-response';

interface MetricsRequest {
  type: typeof REQUEST;
  id: number;
}

interface MetricsResponse {
  type: typeof RESPONSE;
  id: number;
  text?: string;
  error?: string;
}

function isMessage<M extends { type: string }>(message: unknown, type: M['type']): message is M {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type;
}

/**
 * In the cluster primary: answers the workers' requests for the metrics of all workers.
 * Call it once, before forking.
 *
 * @example
 * serveClusterMetrics();
 * for (let i = 0; i < count; i++) cluster.fork();
 */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: unknown) => {
    if (!isMessage<MetricsRequest>(message, REQUEST)) return;
    const reply = (fields: Omit<MetricsResponse, 'type' | 'id'>) => {
      if (worker.isConnected()) worker.send({ type: RESPONSE, id: message.id, ...fields } satisfies MetricsResponse);
    };
    aggregator.clusterMetrics().then(
      (text) => reply({ text }),
      (error: unknown) => reply({ error: error instanceof Error ? error.message : String(error) }),
    );
  });
}

const pending = new Map<number, { resolve(text: string): void; reject(error: Error): void }>();
let nextId = 0;
let listening = false;

/**
 * In a cluster worker: offers `registry` to the primary's aggregation and returns the function
 * that fetches the sum over every worker (this one included) from the primary. Rejects after
 * `timeoutMs` when the primary does not answer (it must run `serveClusterMetrics()`).
 */
export function clusterMetricsText(registry: Registry, timeoutMs = 5000): () => Promise<string> {
  // Constructing one installs prom-client's reply to the primary's collection requests.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
  if (!listening) {
    listening = true;
    process.on('message', (message: unknown) => {
      if (!isMessage<MetricsResponse>(message, RESPONSE)) return;
      const waiting = pending.get(message.id);
      pending.delete(message.id);
      if (message.text !== undefined) waiting?.resolve(message.text);
      else waiting?.reject(new Error(`cluster metrics: ${message.error ?? 'no answer'}`));
    });
  }
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error('cluster metrics: the primary did not answer'));
      }, timeoutMs);
      pending.set(id, {
        resolve: (text) => (clearTimeout(timer), resolve(text)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
      process.send?.({ type: REQUEST, id } satisfies MetricsRequest);
    });
}
