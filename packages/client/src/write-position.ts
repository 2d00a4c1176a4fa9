/*
 * The `Catalog-LSN` a server with read replicas answers writes with: a PostgreSQL WAL position,
 * `X/Y` in hex. The SDK keeps the highest one and sends it back as `Catalog-Min-LSN`
 * (read-your-writes, docs/scaling.md). The SDK imports nothing at run time, so this is its own
 * reading of the format; test/write-position.test.ts checks it orders like the contract's parseLsn.
 */

const LSN_TEXT = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/;

/** The position as a number that orders like the log; undefined when `text` is not one. */
export function positionValue(text: string | null): bigint | undefined {
  const match = text === null ? null : LSN_TEXT.exec(text.trim());
  if (!match) return undefined;
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}
