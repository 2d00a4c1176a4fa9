import type { Readable } from 'node:stream';
import { CommandFailed } from '../errors.js';
import type { RawRecord } from './records.js';

const enum State {
  BeforeArray,
  BetweenElements,
  InElement,
  AfterArray,
}

/**
 * Elements of a top-level JSON array, streamed: the text is cut at the commas between top-level
 * elements (tracking strings and nesting) and each element is parsed alone, so memory holds one
 * element, never the file. Each record carries the line its element starts on.
 *
 * @throws {CommandFailed} when the file is not one JSON array.
 */
export async function* jsonArrayRecords(input: Readable): AsyncGenerator<RawRecord[]> {
  input.setEncoding('utf8');
  let state = State.BeforeArray as State;
  let line = 1;
  let startLine = 1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let parts: string[] = [];

  const element = (): RawRecord => {
    const text = parts.join('');
    parts = [];
    try {
      return { line: startLine, value: JSON.parse(text) as unknown };
    } catch (error) {
      return { line: startLine, error: `not valid JSON (${(error as Error).message})` };
    }
  };

  for await (const chunk of input as AsyncIterable<string>) {
    let from = -1; // where the current element's text starts in this chunk
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (state === State.InElement) {
        if (inString) {
          if (escaped) escaped = false;
          else if (c === '\\') escaped = true;
          else if (c === '"') inString = false;
        } else if (c === '"') inString = true;
        else if (c === '{' || c === '[') depth++;
        else if ((c === '}' || c === ']') && depth > 0) depth--;
        else if ((c === ',' || c === ']') && depth === 0) {
          parts.push(chunk.slice(Math.max(from, 0), i));
          from = -1;
          yield [element()];
          state = c === ',' ? State.BetweenElements : State.AfterArray;
        }
      } else if (!/\s/.test(c)) {
        if (state === State.BeforeArray) {
          if (c !== '[')
            throw new CommandFailed(`line ${line}: not a JSON array (it starts with ${JSON.stringify(c)})`);
          state = State.BetweenElements;
        } else if (state === State.AfterArray) {
          throw new CommandFailed(`line ${line}: unexpected ${JSON.stringify(c)} after the end of the JSON array`);
        } else if (c === ']') {
          state = State.AfterArray;
        } else if (c === ',') {
          yield [{ line, error: 'empty array element' }];
        } else {
          state = State.InElement;
          startLine = line;
          from = i;
          depth = c === '{' || c === '[' ? 1 : 0;
          inString = c === '"';
          escaped = false;
        }
      }
      if (c === '\n') line++;
    }
    if (state === State.InElement) parts.push(chunk.slice(Math.max(from, 0)));
  }
  if (state === State.BeforeArray) throw new CommandFailed('the file is empty: expected a JSON array');
  if (state !== State.AfterArray) throw new CommandFailed(`line ${line}: the JSON array is not closed (missing "]")`);
}
