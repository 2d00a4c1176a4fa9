import { PassThrough } from 'node:stream';
import type { Logger } from 'pino';
import type { Context } from 'koa';

/** One Server-Sent Event. */
export interface ServerSentEvent {
  id: string;
  event: string;
  data: unknown;
}

export interface EventStreamOptions {
  /** Milliseconds between heartbeat comments while nothing else is sent. */
  heartbeatMs: number;
  /** Aborted when the server shuts down: the stream ends so the connection can close. */
  closing: AbortSignal;
  logger: Logger;
  /** Told when the stream opens and, once, when it ends (the open-streams gauge of /metrics). */
  onOpen?: () => void;
  onClose?: () => void;
}

/**
 * Answers `ctx` with a `text/event-stream` fed by `events`, which is handed a signal that aborts
 * when the client disconnects or the server shuts down; the response then ends. The handler
 * returns at once (the stream holds no in-flight request); a write the client cannot take yet
 * waits for it to drain.
 */
export function sendEventStream(
  ctx: Context,
  events: (signal: AbortSignal) => AsyncIterable<ServerSentEvent>,
  options: EventStreamOptions,
): void {
  const stop = new AbortController();
  const abort = () => stop.abort();
  options.closing.addEventListener('abort', abort, { once: true });
  ctx.req.on('close', abort);
  ctx.res.on('close', abort);

  const body = new PassThrough();
  ctx.req.socket.setTimeout(0);
  ctx.req.socket.setNoDelay(true);
  ctx.status = 200;
  ctx.type = 'text/event-stream';
  ctx.set({ 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no', Connection: 'keep-alive' });
  ctx.body = body;

  const write = async (text: string) => {
    if (stop.signal.aborted || body.write(text)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        body.off('drain', done);
        stop.signal.removeEventListener('abort', done);
        resolve();
      };
      body.on('drain', done);
      stop.signal.addEventListener('abort', done, { once: true });
    });
  };
  let lastWrite = Date.now();
  const heartbeat = setInterval(
    () => {
      if (Date.now() - lastWrite >= options.heartbeatMs) {
        lastWrite = Date.now();
        void write(': heartbeat\n\n');
      }
    },
    Math.max(10, Math.floor(options.heartbeatMs / 2)),
  );

  options.onOpen?.();
  void (async () => {
    try {
      // A first comment sends the headers now, so the client knows it is connected.
      await write(': connected\n\n');
      for await (const event of events(stop.signal)) {
        lastWrite = Date.now();
        await write(`id: ${event.id}\nevent: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`);
        if (stop.signal.aborted) break;
      }
    } catch (error) {
      if (!stop.signal.aborted) options.logger.warn({ err: error }, 'change stream failed');
    } finally {
      clearInterval(heartbeat);
      options.closing.removeEventListener('abort', abort);
      body.end();
      options.onClose?.();
    }
  })();
}
