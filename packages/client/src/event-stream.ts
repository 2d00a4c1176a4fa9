/** One Server-Sent Event as the stream delivered it. */
export interface StreamEvent {
  /** The `id:` field of this event, when it had one. */
  id: string | undefined;
  /** The `event:` field (`message` when absent). */
  event: string;
  /** The `data:` lines, joined by newlines. */
  data: string;
}

/**
 * The events of a `text/event-stream` body, in order, as they arrive (the WHATWG parsing rules:
 * CRLF, LF or CR line ends; `:` comments ignored; one leading space of a value dropped; multi-line
 * data joined by `\n`; a block without data dispatches nothing). Ends when the body ends; cancels
 * the body when the consumer stops early or `signal` aborts. Uses only ReadableStream and
 * TextDecoder, so it runs in browsers and Node alike.
 */
export async function* readEventStream(
  body: ReadableStream<Uint8Array>,
  signal?: AbortSignal,
): AsyncGenerator<StreamEvent, void, undefined> {
  const reader = body.getReader();
  const cancel = () => void reader.cancel().catch(() => undefined);
  signal?.addEventListener('abort', cancel, { once: true });
  const decoder = new TextDecoder();
  let buffer = '';
  let id: string | undefined;
  let event = '';
  let data: string[] = [];
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      // A trailing CR may be the first half of a CRLF split across chunks: keep it for the next.
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const c = buffer[i];
        if (c !== '\n' && c !== '\r') continue;
        if (c === '\r' && i === buffer.length - 1) break;
        const line = buffer.slice(start, i);
        if (c === '\r' && buffer[i + 1] === '\n') i++;
        start = i + 1;
        if (line === '') {
          if (data.length > 0) yield { id, event: event || 'message', data: data.join('\n') };
          id = undefined;
          event = '';
          data = [];
          continue;
        }
        const colon = line.indexOf(':');
        if (colon === 0) continue;
        const field = colon === -1 ? line : line.slice(0, colon);
        let text = colon === -1 ? '' : line.slice(colon + 1);
        if (text.startsWith(' ')) text = text.slice(1);
        if (field === 'data') data.push(text);
        else if (field === 'event') event = text;
        else if (field === 'id' && !text.includes('\0')) id = text;
      }
      buffer = buffer.slice(start);
    }
  } finally {
    signal?.removeEventListener('abort', cancel);
    cancel();
  }
}
