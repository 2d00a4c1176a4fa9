import type { Command } from 'commander';
import { UsageError } from '../errors.js';

/** Adds `--if-version <n>`: the write happens only if the product is still at version n. */
export function addIfVersionOption(command: Command): Command {
  return command.option(
    '--if-version <n>',
    'write only if the product is still at this version (as last read); else it fails and nothing is written',
  );
}

/**
 * The `ifVersion` of a write from `--if-version`, or undefined when the flag is absent.
 * @throws {UsageError} when the value is not a whole number of at least 1.
 */
export function ifVersionFrom(flags: { ifVersion?: string }): { ifVersion?: number } {
  if (flags.ifVersion === undefined) return {};
  const value = flags.ifVersion.trim();
  if (!/^[1-9]\d{0,14}$/.test(value)) throw new UsageError(`--if-version must be a version (1, 2, …), not ${value}`);
  return { ifVersion: Number(value) };
}
