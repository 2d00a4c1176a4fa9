import { stat } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { withCatalog } from '../context.js';
import { CommandFailed, UsageError } from '../errors.js';
import { importFile, type ImportOptions } from '../import/importer.js';
import { detectFormat, IMPORT_FORMATS, type ImportFormat } from '../import/records.js';
import { spoolToFile } from '../import/spool.js';
import { note, type Io } from '../io.js';

interface ImportFlags {
  format?: ImportFormat;
  skipInvalid?: boolean;
  batchSize?: string;
  maxErrors: string;
  onConflict: 'error' | 'skip' | 'update';
}

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`${flag} must be a whole number ≥ 1 (got ${JSON.stringify(value)})`);
  return n;
}

/**
 * `catalog products import FILE`: every row validated and inserted in one streamed pass and one
 * transaction (or in batches with --batch-size).
 */
export function registerImport(products: Command, io: Io): void {
  products
    .command('import')
    .description(
      'import products from a CSV (header row), NDJSON or JSON-array file; nothing is written if any row is invalid',
    )
    .argument('<file>', 'the file, or - to read standard input')
    .addOption(
      new Option('--format <format>', 'file format (default: from the extension, else from the content)').choices(
        IMPORT_FORMATS,
      ),
    )
    .option('--skip-invalid', 'import the valid rows and report the invalid ones, instead of importing nothing')
    .option(
      '--batch-size <n>',
      'commit every N rows instead of all rows in one transaction (a failed or killed import then keeps the batches already committed)',
    )
    .option('--max-errors <n>', 'how many problems to list', '20')
    .addOption(
      new Option(
        '--on-conflict <action>',
        'a row whose id is already in the database: error (import nothing), skip it, or update the product to the row',
      )
        .choices(['error', 'skip', 'update'])
        .default('error'),
    )
    .addHelpText(
      'after',
      `
The file's columns (CSV header) or fields (JSON) are name, category, price, rating and sku, and
optionally id, version, created_at, updated_at and deleted_at: a row that has them keeps them (a
deleted product stays deleted), so an export with --include-deleted imports back as the same
products; a row without them is a new product. In CSV, a text cell starting with ' loses that '
(the export adds it before = + - @ tab CR and ').

Examples:
  $ catalog products import products.csv
  $ catalog products import products.ndjson --skip-invalid
  $ catalog products import backup.csv --on-conflict skip
  $ catalog products export --format ndjson | catalog --db sqlite:copy.db products import -`,
    )
    .action(async (file: string, flags: ImportFlags, command: Command) => {
      const batchSize = flags.batchSize === undefined ? undefined : positiveInt(flags.batchSize, '--batch-size');
      const maxErrors = positiveInt(flags.maxErrors, '--max-errors');
      const spooled = file === '-' ? await spoolToFile(process.stdin) : undefined;
      const path = spooled?.path ?? file;
      try {
        const size = await fileSize(path);
        const options: ImportOptions = {
          path,
          format: flags.format ?? (await detectFormat(path)),
          size,
          maxErrors,
          skipInvalid: flags.skipInvalid === true,
          onConflict: flags.onConflict,
          ...(batchSize === undefined ? {} : { batchSize }),
        };
        await withCatalog(command, async (catalog, admin) => {
          const started = Date.now();
          const report = await importFile(io, catalog, admin, options);
          const inserted = report.inserted;
          const seconds = ((Date.now() - started) / 1000).toFixed(1);
          const skipped = report.invalid > 0 ? `, skipped ${report.invalid} invalid` : '';
          const present = [
            ...(report.updated > 0 ? [`updated ${report.updated} present`] : []),
            ...(report.skipped > 0 ? [`skipped ${report.skipped} present`] : []),
          ].map((part) => `, ${part}`);
          note(
            io,
            `imported ${inserted} product${inserted === 1 ? '' : 's'} from ${file === '-' ? 'stdin' : file} (${options.format}) in ${seconds} s${skipped}${present.join('')}`,
          );
        });
      } finally {
        await spooled?.remove();
      }
    });
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new CommandFailed(`no such file: ${path}`);
    throw error;
  }
}
