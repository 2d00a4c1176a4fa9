/**
 * Stand-ins for the values of a CLI session that differ from run to run, so a regenerated
 * docs/cli.md changes only when the CLI's behaviour does. Each distinct value gets the next
 * stand-in of its kind in order of first appearance, and keeps it for the whole document:
 *
 * - ids (UUIDv7, random) → `00000000-0000-7000-8000-000000000001`, …02, …
 * - timestamps → `2026-01-01T00:00:00.000Z`, all of them: rows written together may or may not
 *   share a millisecond, so even their order of first appearance is not stable (same width, so
 *   tables stay aligned)
 * - cursors (signed base64url, 40+ characters) → `<cursor-1>`, `<cursor-2>`, …
 * - durations of a command (`in 0.4 s`) → `in … s`
 */
export function createNormaliser(): (text: string) => string {
  const ids = new Map<string, string>();
  const cursors = new Map<string, string>();
  const standIn = (seen: Map<string, string>, value: string, make: (n: number) => string) => {
    let found = seen.get(value);
    if (found === undefined) seen.set(value, (found = make(seen.size + 1)));
    return found;
  };
  return (text) =>
    text
      .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, (id) =>
        standIn(ids, id, (n) => `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`),
      )
      .replace(/\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, '2026-01-01T00:00:00.000Z')
      .replace(/(?<![\w-])[A-Za-z0-9_-]{40,}(?![\w-])/g, (cursor) => standIn(cursors, cursor, (n) => `<cursor-${n}>`))
      .replace(/\bin \d+(\.\d+)? s\b/g, 'in … s');
}
