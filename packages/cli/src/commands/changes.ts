import { CHANGE_TYPES, type Change, type ChangeType } from '@catalog/contract';
import { Option, type Command } from 'commander';
import { withCatalog } from '../context.js';
import { commandLine } from '../format/command-line.js';
import { ndjsonLine } from '../format/ndjson.js';
import {
  cursorNote,
  formatOption,
  renderPage,
  resolveFormat,
  type OutputFormat,
  type RecordView,
} from '../format/output.js';
import { note, write, type Io } from '../io.js';

interface ListFlags {
  cursor?: string;
  limit?: string;
  type?: ChangeType;
  format?: OutputFormat;
}

/** The changes of a listing as a table; JSON and NDJSON print them whole. */
const changeView: RecordView<Change> = {
  tableColumns: [
    { header: 'type', value: (c) => c.type },
    { header: 'product_id', value: (c) => c.product_id },
    { header: 'name', value: (c) => c.product.name },
    { header: 'version', value: (c) => String(c.product.version), align: 'right' },
    { header: 'actor_id', value: (c) => c.actor_id ?? '-' },
    { header: 'at', value: (c) => c.at },
  ],
  columns: ['id', 'type', 'product_id', 'actor_id', 'at'],
  show: (change, column) => String(change[column as keyof Change] ?? '-'),
};

const typeOption = () => new Option('--type <type>', 'only changes of this type').choices(CHANGE_TYPES);

/** `catalog changes list|watch`: the change feed, a page at a time or followed live. */
export function registerChanges(program: Command, io: Io): void {
  const changes = program.command('changes').description('the change feed: every product write, oldest first');

  changes
    .command('list')
    .description('one page of changes, oldest first (the cursor at the end continues, also once more arrive)')
    .option('--cursor <cursor>', "continue after a cursor (a next_cursor or a change id; 'now': the end of the feed)")
    .option('--limit <n>', 'page size 1–100 (default: 20)')
    .addOption(typeOption())
    .addOption(formatOption(['table', 'json', 'ndjson']))
    .addHelpText(
      'after',
      '\nExamples:\n  $ catalog changes list\n  $ catalog changes list --type product.deleted --format json',
    )
    .action(async (flags: ListFlags, command: Command) => {
      const format = resolveFormat(flags.format, io.stdout);
      const query = {
        ...(flags.cursor === undefined ? {} : { cursor: flags.cursor }),
        ...(flags.limit === undefined ? {} : { limit: flags.limit as unknown as number }),
        ...(flags.type === undefined ? {} : { type: flags.type }),
      };
      await withCatalog(command, async (catalog) => {
        const page = await catalog.changes.list(query);
        const args = listArgs(command, flags);
        await write(
          io.stdout,
          renderPage(page, format, changeView, {
            noun: ['change', 'changes'],
            commandFor: (cursor) => commandLine([...args, '--cursor', cursor]),
          }),
        );
        const cursor = cursorNote(page, format);
        if (cursor) note(io, cursor);
      });
    });

  changes
    .command('watch')
    .description('print every change after the cursor, then each new one as it is committed, until interrupted')
    .option(
      '--cursor <cursor>',
      "start after this cursor or change id, or 'now' for only new changes (default: from the oldest change kept)",
    )
    .addOption(typeOption())
    .addOption(new Option('--format <format>', 'output format: one JSON change per line').choices(['ndjson']))
    .addHelpText(
      'after',
      '\nStops on Ctrl-C (SIGINT) or SIGTERM, exit 0. Resume later with --cursor set to the id of the last line read.\n\n' +
        "Example:\n  $ catalog changes watch --format ndjson | jq -c '{type, id: .product_id}'",
    )
    .action(async (flags: { cursor?: string; type?: ChangeType }, command: Command) => {
      const stop = new AbortController();
      const abort = () => stop.abort();
      process.once('SIGINT', abort);
      process.once('SIGTERM', abort);
      try {
        await withCatalog(command, async (catalog) => {
          for await (const change of catalog.changes.watch({
            cursor: flags.cursor,
            type: flags.type,
            signal: stop.signal,
          })) {
            await write(io.stdout, ndjsonLine(change));
          }
        });
      } finally {
        process.off('SIGINT', abort);
        process.off('SIGTERM', abort);
      }
    });
}

function listArgs(command: Command, flags: ListFlags): string[] {
  const { db } = command.optsWithGlobals<{ db?: string }>();
  const args = [...(db === undefined ? [] : ['--db', db]), 'changes', 'list'];
  if (flags.limit !== undefined) args.push('--limit', flags.limit);
  if (flags.type !== undefined) args.push('--type', flags.type);
  if (flags.format !== undefined) args.push('--format', flags.format);
  return args;
}
