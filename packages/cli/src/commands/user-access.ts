import type { User } from '@catalog/contract';
import type { Command } from 'commander';
import { withCatalog } from '../context.js';
import { formatOption, renderOne, resolveFormat, type OutputFormat } from '../format/output.js';
import { userView } from '../format/views.js';
import { note, write, type Io } from '../io.js';
import { obtainPassword } from '../password.js';

/** `catalog users passwd|disable|enable|unlock`: who may sign in, and with what. */
export function registerUserAccess(users: Command, io: Io): void {
  users
    .command('passwd')
    .description("set a user's password (asks without echo, or reads it from stdin); signs out all its sessions")
    .argument('<user>', 'user id or email')
    .option('--password-stdin', 'read the new password from standard input')
    .addHelpText(
      'after',
      `
The user's refresh tokens are revoked: every device signs in again with the new password.

Example:
  $ printf '%s' "$NEW_PASSWORD" | catalog users passwd alice@example.com --password-stdin`,
    )
    .action(async (user: string, flags: { passwordStdin?: boolean }, command: Command) => {
      const password = await obtainPassword(Boolean(flags.passwordStdin));
      await withCatalog(command, async (catalog, admin) => {
        const changed = await catalog.users.setPassword(user, password, admin);
        note(io, `changed the password of ${changed.email}; its sessions are signed out`);
      });
    });

  users
    .command('disable')
    .description('stop a user from signing in; its access tokens are refused at once and its sessions revoked')
    .argument('<user>', 'user id or email')
    .addOption(formatOption())
    .addHelpText('after', '\nExample:\n  $ catalog users disable alice@example.com')
    .action(async (user: string, flags: { format?: OutputFormat }, command: Command) => {
      await withCatalog(command, async (catalog, admin) =>
        printUser(io, await catalog.users.update(user, { disabled: true }, admin), flags.format),
      );
    });

  users
    .command('enable')
    .description('let a disabled user sign in again')
    .argument('<user>', 'user id or email')
    .addOption(formatOption())
    .addHelpText('after', '\nExample:\n  $ catalog users enable alice@example.com')
    .action(async (user: string, flags: { format?: OutputFormat }, command: Command) => {
      await withCatalog(command, async (catalog, admin) =>
        printUser(io, await catalog.users.update(user, { disabled: false }, admin), flags.format),
      );
    });

  users
    .command('unlock')
    .description("clear a user's failed-login counts (from every address), so it can sign in again at once")
    .argument('<user>', 'user id or email')
    .addHelpText(
      'after',
      `
Clears the counts kept in the database (the default CATALOG_RATE_LIMIT_STORE); a server that
keeps them in memory forgets them only when it restarts or the window ends.

Example:
  $ catalog users unlock alice@example.com`,
    )
    .action(async (user: string, _flags: object, command: Command) => {
      await withCatalog(command, async (catalog, admin) => {
        const unlocked = await catalog.users.unlock(user, admin);
        note(io, `unlocked ${unlocked.email}: its failed-login counts are cleared`);
      });
    });
}

async function printUser(io: Io, user: User, format: OutputFormat | undefined): Promise<void> {
  await write(io.stdout, renderOne(user, resolveFormat(format, io.stdout), userView));
}
