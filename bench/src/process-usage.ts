import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat's CPU times (USER_HZ: 100 on every Linux ABI Node runs on). */
const TICKS_PER_SECOND = 100;

/** CPU time and resident memory of a server process and its descendants (its cluster workers). */
export interface UsageSample {
  /** User + system CPU of every process of the tree, every thread included, in microseconds. */
  cpuMicros: number;
  /** Sum of the processes' current resident set size (VmRSS), in MiB. */
  rssMiB: number;
}

/** `pid` and every process below it (cluster workers are children of the primary). */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = statFields(Number(entry))?.[1];
    if (parent === undefined) continue;
    const list = children.get(Number(parent)) ?? [];
    list.push(Number(entry));
    children.set(Number(parent), list);
  }
  const tree: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const next = queue.shift()!;
    tree.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return tree;
}

/** CPU so far and RSS now of `pids` (processes that have exited count as 0). */
export function sampleUsage(pids: number[]): UsageSample {
  let ticks = 0;
  let rssKiB = 0;
  for (const pid of pids) {
    const fields = statFields(pid);
    // Fields 14 and 15 of /proc/<pid>/stat (utime, stime); here counted from field 3 (state) on.
    if (fields) ticks += Number(fields[11]) + Number(fields[12]);
    rssKiB += residentKiB(pid) ?? 0;
  }
  return { cpuMicros: (ticks * 1_000_000) / TICKS_PER_SECOND, rssMiB: rssKiB / 1024 };
}

/**
 * Samples `pid`'s process tree while `work` runs: CPU spent over the whole of it, and the
 * highest summed RSS seen (sampled every `everyMs`, plus once at each end).
 */
export async function measureUsage<T>(
  pid: number,
  work: () => Promise<T>,
  everyMs = 100,
): Promise<{ result: T; cpuMicros: number; peakRssMiB: number }> {
  const pids = processTree(pid);
  const before = sampleUsage(pids);
  let peak = before.rssMiB;
  const timer = setInterval(() => (peak = Math.max(peak, sampleUsage(pids).rssMiB)), everyMs);
  try {
    const result = await work();
    const after = sampleUsage(pids);
    return { result, cpuMicros: after.cpuMicros - before.cpuMicros, peakRssMiB: Math.max(peak, after.rssMiB) };
  } finally {
    clearInterval(timer);
  }
}

/** The fields of /proc/<pid>/stat after the command name (state, ppid, …), or undefined once gone. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may itself hold spaces or parentheses.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** VmRSS of /proc/<pid>/status, in KiB. */
function residentKiB(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}
