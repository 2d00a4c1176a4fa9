/** One event or comment read from a `text/event-stream` body. */
export interface StreamMessage {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
}

/**
 * The messages of an event-stream response body, as they arrive (a test's own small reader: the
 * SDK's parser is tested in the client package).
 */
export async function* streamMessages(body: ReadableStream<Uint8Array>): AsyncGenerator<StreamMessage> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const message: StreamMessage = {};
      for (const line of block.split('\n')) {
        const colon = line.indexOf(':');
        const field = line.slice(0, colon);
        const value = line.slice(colon + 1).replace(/^ /, '');
        if (field === '') message.comment = value;
        else if (field === 'id' || field === 'event' || field === 'data') message[field] = value;
      }
      yield message;
    }
  }
}
