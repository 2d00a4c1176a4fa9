const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * Quotes one argument for a POSIX shell, so a printed command can be pasted back as is.
 *
 * @example
 * shellQuote("it's"); // "'it'\\''s'"
 */
export function shellQuote(arg: string): string {
  if (SAFE.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** `catalog` followed by the arguments, each quoted as needed. */
export function commandLine(args: readonly string[]): string {
  return ['catalog', ...args].map(shellQuote).join(' ');
}
