import type { Readable } from 'node:stream';
import type { ReadStream } from 'node:tty';
import { CommandFailed, UsageError } from './errors.js';

/** A password is at most 72 bytes; anything far beyond is not a password piped in by mistake. */
const MAX_STDIN_BYTES = 4096;

/**
 * The whole of standard input as the password, without its final line break (as `echo` or a
 * file adds one). Never printed anywhere.
 *
 * @throws {UsageError} when stdin is empty or far too long to be a password.
 */
export async function readPasswordFromStdin(stdin: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_STDIN_BYTES) throw new UsageError('--password-stdin: standard input is too long to be a password');
    chunks.push(chunk);
  }
  const password = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  if (password === '') throw new UsageError('--password-stdin: standard input is empty');
  return password;
}

/**
 * Asks for a password on a terminal that is already in raw mode (no echo): one character at a
 * time, backspace supported, Ctrl-C aborts.
 *
 * @throws {CommandFailed} when the user presses Ctrl-C or Ctrl-D.
 */
export function promptHidden(stdin: ReadStream, stderr: NodeJS.WritableStream, prompt: string): Promise<string> {
  stdin.resume();
  stdin.setEncoding('utf8');
  stderr.write(prompt);
  let typed = '';
  return new Promise((resolve, reject) => {
    const finish = (error?: Error) => {
      stdin.off('data', onData);
      stdin.pause();
      stderr.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (text: string) => {
      for (const char of text) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003' || char === '\u0004') return finish(new CommandFailed('cancelled'));
        if (char === '\u007f' || char === '\b') typed = [...typed].slice(0, -1).join('');
        else if (char >= ' ') typed += char;
      }
    };
    stdin.on('data', onData);
  });
}

/**
 * The password for a new user: from stdin with `--password-stdin`, else asked twice on the
 * terminal. Without either there is no safe way to get one (never as a flag: it would sit in
 * the shell history and the process list).
 *
 * @throws {UsageError} when stdin is not a terminal and `--password-stdin` was not given.
 * @throws {CommandFailed} when the two entries differ.
 */
export async function obtainPassword(fromStdin: boolean): Promise<string> {
  if (fromStdin) return readPasswordFromStdin(process.stdin);
  if (!process.stdin.isTTY) {
    throw new UsageError('no password: pass --password-stdin and pipe it in, or run on a terminal to be asked');
  }
  const stdin = process.stdin as ReadStream;
  // Raw mode (no echo) from before the first prompt shows until after the second is answered:
  // switching it off in between would echo whatever is typed right after the first Enter.
  stdin.setRawMode(true);
  try {
    const first = await promptHidden(stdin, process.stderr, 'Password: ');
    const second = await promptHidden(stdin, process.stderr, 'Repeat password: ');
    if (first !== second) throw new CommandFailed('the passwords do not match');
    return first;
  } finally {
    stdin.setRawMode(false);
  }
}
