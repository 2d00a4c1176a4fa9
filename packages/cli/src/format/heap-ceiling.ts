import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Heap growth (bytes over the size when the ceiling was set) that triggers a full collection. */
const HEADROOM = 24 * 1024 * 1024;

/**
 * Keeps a long streaming loop (an export of any size) at the heap size it started with.
 *
 * Every row an export writes is garbage a moment later, but enough of it survives a young
 * collection or two (it waits on I/O) to be promoted, and V8 lets the old generation grow to a
 * multiple of its live size before collecting it — so peak memory grew with the row count (the
 * export figures are in bench/README.md). The heap limit cannot be lowered once the process
 * runs (`--max-old-space-size` is read at start-up), so instead `check()` runs a full collection
 * whenever the heap has grown HEADROOM past its starting size: with a live set of a few MB that
 * costs a few milliseconds, once per some tens of thousands of rows.
 *
 * @example
 * const ceiling = heapCeiling();
 * for await (const row of rows) { write(row); ceiling.check(); }
 */
export function heapCeiling(): { check(): void } {
  const collect = exposedGc();
  if (!collect) return { check() {} };
  const limit = getHeapStatistics().used_heap_size + HEADROOM;
  return {
    check() {
      if (getHeapStatistics().used_heap_size > limit) collect();
    },
  };
}

let gc: (() => void) | null | undefined;

/** V8's `gc()`, exposed at run time (the flag only adds the function to new contexts). */
function exposedGc(): (() => void) | null {
  if (gc !== undefined) return gc;
  try {
    setFlagsFromString('--expose-gc');
    const found: unknown = runInNewContext('gc');
    gc = typeof found === 'function' ? (found as () => void) : null;
  } catch {
    gc = null;
  }
  return gc;
}
