import type { MikroORM } from '@mikro-orm/core';

const ATTEMPTS = 5;

/**
 * Applies the pending migrations, tolerating another process doing the same at the same moment
 * (several workers, or the CLI beside the server, opening a new database): the loser's
 * transaction fails on a table the winner just created and is rolled back; once the winner has
 * committed there is nothing left to apply. Any other failure is rethrown after the last attempt.
 * @returns the names of the migrations this process applied.
 */
export async function migrateUp(orm: MikroORM): Promise<string[]> {
  const migrator = orm.getMigrator();
  for (let attempt = 1; ; attempt += 1) {
    try {
      return (await migrator.up()).map((m) => m.name);
    } catch (error) {
      if (attempt >= ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      // Asking may itself meet the winner's lock (it creates the migrations table if absent):
      // then the next attempt asks again.
      const pending = await migrator.getPendingMigrations().catch(() => undefined);
      if (pending?.length === 0) return [];
    }
  }
}
