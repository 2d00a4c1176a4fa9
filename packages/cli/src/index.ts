export { run } from './run.js';
export { createProgram } from './program.js';
export { describeError, EXIT, UsageError, CommandFailed } from './errors.js';
export type { DescribedError } from './errors.js';
export type { Io } from './io.js';
