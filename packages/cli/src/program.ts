import { Command, Option } from 'commander';
import packageJson from '../package.json' with { type: 'json' };
import { registerChanges } from './commands/changes.js';
import { registerDashboard } from './commands/dashboard.js';
import { registerDb } from './commands/db.js';
import { registerProducts } from './commands/products.js';
import { registerSeed } from './commands/seed.js';
import { registerServe } from './commands/serve.js';
import { registerUsers } from './commands/users.js';
import { processIo, type Io } from './io.js';

/**
 * The `catalog` program with every command. It never calls `process.exit`: commander's own errors
 * are thrown (see `run`), and output goes to `io`.
 *
 * @example
 * await createProgram().parseAsync(['node', 'catalog', 'dashboard', '--format', 'json']);
 */
export function createProgram(io: Io = processIo): Command {
  const program = new Command('catalog')
    .description('Catalog from the terminal: serve the API, manage the database, users and products')
    .version(packageJson.version, '-V, --version', 'print the version')
    .addOption(
      new Option(
        '--db <url>',
        'database: sqlite:PATH, :memory: or postgres://… (default: $CATALOG_DATABASE_URL, else sqlite:data/catalog.db)',
      ),
    )
    .option('--debug', 'print stack traces with errors')
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // One line, same prefix as every other error.
      outputError: (text, write) =>
        write(
          `catalog: ${text
            .replace(/^error: /, '')
            .replace(/\s*\n\s*/g, ' ')
            .trim()}\n`,
        ),
    });

  program.addHelpText(
    'after',
    `
Examples:
  $ catalog db migrate
  $ catalog users create --email admin@example.com --role admin
  $ catalog seed --count 1000
  $ catalog products list --sort-by price --sort-order asc --limit 5
  $ catalog serve --port 8000 --workers 2
  $ catalog --db postgres://postgres@127.0.0.1:5432/catalog dashboard

Exit codes: 0 ok, 1 failure, 2 usage error.`,
  );

  registerServe(program, io);
  registerDb(program, io);
  registerUsers(program, io);
  registerProducts(program, io);
  registerSeed(program, io);
  registerDashboard(program, io);
  registerChanges(program, io);
  return program;
}
