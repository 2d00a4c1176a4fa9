import type { Role, User } from '@catalog/contract';
import { RoleSchema } from '@catalog/contract';
import { Argument, Option, type Command } from 'commander';
import { withCatalog } from '../context.js';
import { commandLine } from '../format/command-line.js';
import { cursorNote, formatOption, renderOne, renderPage, resolveFormat, type OutputFormat } from '../format/output.js';
import { userView } from '../format/views.js';
import { note, write, type Io } from '../io.js';
import { obtainPassword } from '../password.js';
import { registerUserAccess } from './user-access.js';

const ROLES = RoleSchema.options;

interface CreateFlags {
  email: string;
  role: Role;
  name?: string;
  passwordStdin?: boolean;
  format?: OutputFormat;
}

interface ListFlags {
  sortBy?: string;
  sortOrder?: string;
  limit?: string;
  cursor?: string;
  format?: OutputFormat;
}

/** `catalog users create|list|set-role|passwd|disable|enable|unlock`. */
export function registerUsers(program: Command, io: Io): void {
  const users = program
    .command('users')
    .description('create and list users, change roles and passwords, disable, enable and unlock accounts');

  users
    .command('create')
    .description('create a user (asks for the password without echo, or reads it from stdin)')
    .requiredOption('--email <email>', 'email address (stored lower-cased)')
    .addOption(new Option('--role <role>', 'role').choices(ROLES).default('user'))
    .option('--name <name>', 'display name')
    .option('--password-stdin', 'read the password from standard input')
    .addOption(formatOption())
    .addHelpText(
      'after',
      `
The password is never accepted as a flag (it would end up in the shell history).

Examples:
  $ catalog users create --email admin@example.com --role admin
  $ printf '%s' "$ADMIN_PASSWORD" | catalog users create --email admin@example.com --role admin --password-stdin`,
    )
    .action(async (flags: CreateFlags, command: Command) => {
      const password = await obtainPassword(Boolean(flags.passwordStdin));
      await withCatalog(command, async (catalog, admin) => {
        const input = {
          email: flags.email,
          password,
          role: flags.role,
          ...(flags.name === undefined ? {} : { name: flags.name }),
        };
        await printUser(io, await catalog.users.create(input, admin), flags.format);
      });
    });

  users
    .command('list')
    .description('list users one page at a time')
    .addOption(new Option('--sort-by <key>', 'sort key (default: created_at)').choices(['created_at', 'email']))
    .addOption(new Option('--sort-order <order>', 'sort direction (default: desc)').choices(['asc', 'desc']))
    .option('--limit <n>', 'page size 1–100 (default: 20)')
    .option('--cursor <cursor>', 'continue from a cursor printed by an earlier page')
    .addOption(formatOption())
    .addHelpText(
      'after',
      '\nExamples:\n  $ catalog users list\n  $ catalog users list --sort-by email --sort-order asc --format json',
    )
    .action(async (flags: ListFlags, command: Command) => {
      const format = resolveFormat(flags.format, io.stdout);
      const query: Record<string, unknown> = {};
      if (flags.sortBy !== undefined) query.sort_by = flags.sortBy;
      if (flags.sortOrder !== undefined) query.sort_order = flags.sortOrder;
      if (flags.limit !== undefined) query.limit = flags.limit;
      if (flags.cursor !== undefined) query.cursor = flags.cursor;
      await withCatalog(command, async (catalog, admin) => {
        const page = await catalog.users.list(query, admin);
        const args = userListArgs(command, flags);
        await write(
          io.stdout,
          renderPage(page, format, userView, {
            noun: ['user', 'users'],
            commandFor: (cursor) => commandLine([...args, '--cursor', cursor]),
          }),
        );
        const cursor = cursorNote(page, format);
        if (cursor) note(io, cursor);
      });
    });

  users
    .command('set-role')
    .description("change a user's role")
    .argument('<user>', 'user id or email')
    .addArgument(new Argument('<role>', 'new role').choices(ROLES))
    .addOption(formatOption())
    .addHelpText('after', '\nExample:\n  $ catalog users set-role alice@example.com admin')
    .action(async (user: string, role: Role, flags: { format?: OutputFormat }, command: Command) => {
      await withCatalog(command, async (catalog, admin) =>
        printUser(io, await catalog.users.setRole(user, role, admin), flags.format),
      );
    });

  registerUserAccess(users, io);
}

async function printUser(io: Io, user: User, format: OutputFormat | undefined): Promise<void> {
  await write(io.stdout, renderOne(user, resolveFormat(format, io.stdout), userView));
}

function userListArgs(command: Command, flags: ListFlags): string[] {
  const { db } = command.optsWithGlobals<{ db?: string }>();
  const args = [...(db === undefined ? [] : ['--db', db]), 'users', 'list'];
  if (flags.sortBy !== undefined) args.push('--sort-by', flags.sortBy);
  if (flags.sortOrder !== undefined) args.push('--sort-order', flags.sortOrder);
  if (flags.limit !== undefined) args.push('--limit', flags.limit);
  if (flags.format !== undefined) args.push('--format', flags.format);
  return args;
}
