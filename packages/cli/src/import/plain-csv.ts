/** What one `push` of PlainCsvSplitter found. */
export interface PlainCsvSplit {
  /** The complete records (header included), as their cells. */
  records: string[][];
  /** The line each record starts on, 1-based. */
  lines: number[];
  /**
   * Set when the splitter met something it does not handle: `text` is the input from the start of
   * that record on (the records before it are in `records`), `line` the line it starts on. The
   * caller hands it and the rest of the input to a full CSV parser; the splitter is done.
   */
  rest?: { text: string; line: number };
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;
/** A line the split(',') path cannot take: a quote, or a CR that is not its line ending. */
const SPECIAL = /["\r]/;
const NEED_MORE = 0;
const UNHANDLED = 1;

/**
 * Splits CSV text into records of cells, as csv-parse does with `bom`, `skip_empty_lines` and
 * its auto-detected record delimiter, but only for the plain case: one line ending throughout
 * (`\n` or `\r\n`, the first one met decides, as in csv-parse), cells quoted or not, quotes well
 * formed (a quoted cell starts with `"`, doubles any `"` inside, and ends right before `,` or
 * the line ending). Anything else (a stray quote, a lone `\r`, a line ending of the other kind)
 * stops it and is handed back as `rest`, so that one parser with one set of rules and messages
 * (csv-parse) reports it. Records are not checked against the header here.
 *
 * A line with no quote is split with String#split, which is what makes this fast: csv-parse
 * looks at every byte in JavaScript, and its line counting (`info`) costs as much again.
 */
export class PlainCsvSplitter {
  private buffered = '';
  /** The line `buffered` starts on. */
  private line = 1;
  private crlf: boolean | undefined;
  private started = false;
  private done = false;

  /** Adds `chunk` (the last one with `final`) and returns the records it completes. */
  push(chunk: string, final: boolean): PlainCsvSplit {
    const split: PlainCsvSplit = { records: [], lines: [] };
    if (this.done) throw new Error('PlainCsvSplitter: push after the end');
    let text = this.buffered + chunk;
    this.buffered = '';
    if (!this.started) {
      if (text.length === 0 && !final) return split;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      this.started = true;
    }
    if (this.crlf === undefined) {
      const found = this.lineEnding(text, final);
      if (found === NEED_MORE) {
        this.buffered = text;
        return split;
      }
      if (found === UNHANDLED) return this.handBack(split, text, 0);
      this.crlf = found === '\r\n';
    }
    const crlf = this.crlf;
    const length = text.length;
    let pos = 0;
    while (pos < length) {
      const nl = text.indexOf('\n', pos);
      if (nl === -1 && !final) break;
      const end = nl === -1 ? length : crlf ? nl - 1 : nl;
      if (crlf && nl !== -1 && (end < pos || text.charCodeAt(end) !== CR)) return this.handBack(split, text, pos);
      const lineText = text.slice(pos, end);
      if (!SPECIAL.test(lineText)) {
        if (lineText.length > 0) {
          split.records.push(lineText.split(','));
          split.lines.push(this.line);
        }
        this.line++;
        pos = nl === -1 ? length : nl + 1;
        continue;
      }
      const quoted = this.quotedRecord(text, pos, final);
      if (quoted === NEED_MORE) break;
      if (quoted === UNHANDLED) return this.handBack(split, text, pos);
      split.records.push(quoted.fields);
      split.lines.push(this.line);
      this.line += quoted.lines;
      pos = quoted.next;
    }
    this.buffered = text.slice(pos);
    if (final) this.done = true;
    return split;
  }

  private handBack(split: PlainCsvSplit, text: string, pos: number): PlainCsvSplit {
    this.done = true;
    split.rest = { text: text.slice(pos), line: this.line };
    return split;
  }

  /** The line ending of the file: the first CR or LF met outside quotes, as csv-parse finds it. */
  private lineEnding(text: string, final: boolean): '\n' | '\r\n' | typeof NEED_MORE | typeof UNHANDLED {
    const match = /["\r\n]/.exec(text);
    if (match === null) return final ? '\n' : NEED_MORE;
    // A quote first: the line ending could be inside it; leave the whole file to csv-parse.
    if (match[0] === '"') return UNHANDLED;
    if (match[0] === '\n') return '\n';
    if (match.index + 1 === text.length && !final) return NEED_MORE;
    return text.charCodeAt(match.index + 1) === LF ? '\r\n' : UNHANDLED;
  }

  /**
   * The record starting at `pos`, cell by cell, quotes allowed. `lines` counts the line endings
   * it spans (inside quoted cells too), including its own.
   */
  private quotedRecord(
    text: string,
    pos: number,
    final: boolean,
  ): { fields: string[]; next: number; lines: number } | typeof NEED_MORE | typeof UNHANDLED {
    const crlf = this.crlf;
    const length = text.length;
    const fields: string[] = [];
    let lines = 0;
    let p = pos;
    for (;;) {
      if (text.charCodeAt(p) === QUOTE) {
        let value = '';
        let from = p + 1;
        for (;;) {
          const close = text.indexOf('"', from);
          if (close === -1) return final ? UNHANDLED : NEED_MORE;
          if (close + 1 === length && !final) return NEED_MORE;
          if (text.charCodeAt(close + 1) === QUOTE) {
            value += text.slice(from, close + 1);
            from = close + 2;
            continue;
          }
          value += text.slice(from, close);
          p = close + 1;
          break;
        }
        lines += lineBreaks(value);
        fields.push(value);
        if (p === length) {
          if (!final) return NEED_MORE;
          return { fields, next: p, lines };
        }
        const c = text.charCodeAt(p);
        if (c === COMMA) {
          p++;
          continue;
        }
        if (!crlf && c === LF) return { fields, next: p + 1, lines: lines + 1 };
        if (crlf && c === CR) {
          if (p + 1 === length && !final) return NEED_MORE;
          if (text.charCodeAt(p + 1) === LF) return { fields, next: p + 2, lines: lines + 1 };
        }
        return UNHANDLED;
      }
      for (let j = p; ; j++) {
        if (j === length) {
          if (!final) return NEED_MORE;
          fields.push(text.slice(p, j));
          return { fields, next: j, lines };
        }
        const c = text.charCodeAt(j);
        if (c === COMMA) {
          fields.push(text.slice(p, j));
          p = j + 1;
          break;
        }
        if (c === QUOTE) return UNHANDLED;
        if (c === LF) {
          if (crlf) return UNHANDLED;
          fields.push(text.slice(p, j));
          return { fields, next: j + 1, lines: lines + 1 };
        }
        if (c === CR) {
          if (!crlf) return UNHANDLED;
          if (j + 1 === length && !final) return NEED_MORE;
          if (text.charCodeAt(j + 1) !== LF) return UNHANDLED;
          fields.push(text.slice(p, j));
          return { fields, next: j + 2, lines: lines + 1 };
        }
      }
    }
  }
}

/** Line endings in a quoted cell: `\r\n`, `\n` or `\r`, each counted once. */
function lineBreaks(value: string): number {
  let n = 0;
  for (let i = value.indexOf('\n'); i !== -1; i = value.indexOf('\n', i + 1)) n++;
  for (let i = value.indexOf('\r'); i !== -1; i = value.indexOf('\r', i + 1)) if (value.charCodeAt(i + 1) !== LF) n++;
  return n;
}
