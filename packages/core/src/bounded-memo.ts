/**
 * `compute`, remembering up to `max` results by key. The memory is emptied whole when full:
 * bounded, with no per-hit bookkeeping (an LRU's reordering costs more than the hot paths that use
 * this save). For pure functions of keys that repeat: the same few sort specs, the same rows' instants.
 *
 * @example
 * const digestOf = boundedMemo(1024, (text: string) => hash(text));
 */
export function boundedMemo<K, V>(max: number, compute: (key: K) => V): (key: K) => V {
  const kept = new Map<K, V>();
  return (key) => {
    let value = kept.get(key);
    if (value === undefined) {
      value = compute(key);
      if (kept.size >= max) kept.clear();
      kept.set(key, value);
    }
    return value;
  };
}
