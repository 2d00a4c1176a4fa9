import { CommanderError } from 'commander';
import { createProgram } from './program.js';
import { debugDetails, describeError, EXIT } from './errors.js';
import { processIo, type Io } from './io.js';

/**
 * Runs the `catalog` command line and returns its exit code: 0 ok, 1 failure, 2 usage error.
 * Every error ends as one `catalog: <message>` line on stderr; `--debug` adds the stack.
 *
 * @example
 * process.exitCode = await run(process.argv);
 */
export async function run(argv: readonly string[], io: Io = processIo): Promise<number> {
  const program = createProgram(io);
  try {
    await program.parseAsync([...argv]);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version end with a CommanderError too; commander already printed the error.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.ok;
      return error.code === 'commander.help' && error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const { message, exitCode } = describeError(error);
    io.stderr.write(`catalog: ${message}\n`);
    if (program.opts<{ debug?: boolean }>().debug || argv.includes('--debug'))
      io.stderr.write(`${debugDetails(error)}\n`);
    return exitCode;
  }
}
