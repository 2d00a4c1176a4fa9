/*
 * Positions in PostgreSQL's write-ahead log (an LSN, written `X/Y` in hex), as the `Catalog-LSN`
 * and `Catalog-Min-LSN` headers carry them (read-your-writes with read replicas, docs/scaling.md).
 */

/** `X/Y` as PostgreSQL writes an LSN: two hex numbers of at most 8 digits. */
const LSN_TEXT = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/;

/** The LSN written as `X/Y`, as a number that orders like the log; undefined when it is not one. */
export function parseLsn(text: string | null | undefined): bigint | undefined {
  const match = text == null ? null : LSN_TEXT.exec(text.trim());
  if (!match) return undefined;
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}
