/**
 * Whether the process should stay up after the command returns: only `serve`, whose server and
 * workers are the point. Every other command exits as soon as its output is flushed.
 */
let serving = false;

export function markServing(): void {
  serving = true;
}

export function isServing(): boolean {
  return serving;
}
