/** One JSON document per line: the format for pipes (`jq`, `catalog products import`). */
export function ndjsonLine(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}

/** Several values, one per line. */
export function ndjsonLines(values: readonly unknown[]): string {
  return values.map(ndjsonLine).join('');
}
