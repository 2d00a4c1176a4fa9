/** Output of the checks: one `ok` line per passed check, the elapsed time per step. */
export function ok(message: string): void {
  console.log(`ok   ${message}`);
}

export async function step<T>(title: string, run: () => Promise<T>): Promise<T> {
  console.log(`\n== ${title}`);
  const started = Date.now();
  const result = await run();
  console.log(`   (${seconds(started)} s)`);
  return result;
}

export function seconds(since: number): string {
  return ((Date.now() - since) / 1000).toFixed(1);
}
