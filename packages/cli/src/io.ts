import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** The streams a command writes to; tests and embedders may pass their own. */
export interface Io {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
}

export const processIo: Io = { stdout: process.stdout, stderr: process.stderr };

/**
 * Writes `text`, waiting for the stream to drain when its buffer is full, so that printing a
 * million rows into a slow pipe keeps memory constant.
 */
export async function write(stream: Writable, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

/** Status messages (progress, summaries, confirmations) go to stderr so stdout stays data. */
export function note(io: Io, text: string): void {
  io.stderr.write(`${text}\n`);
}
