import fc from 'fast-check';
import { ProductEntity } from '../../../src/db/entities.js';
import type { CursorDatabase, ProductRow } from './database.js';
import { productFields, toRow } from './model.js';

/*
 * Writes that happen between page fetches: inserts, updates of one column, soft deletes and
 * restores. Each is applied to the database and to the in-memory model alike, and the columns
 * each row had changed are recorded, so a test can tell which rows stayed put for a whole walk.
 */

const UPDATABLE = {
  name: fc.constantFrom('apple', 'Zebra', '😀 grin', 'mango'),
  category: fc.constantFrom('Books', 'Toys', 'Garden'),
  price_cents: fc.constantFrom(0, 250, 1000, 5000),
  rating_tenths: fc.constantFrom(null, 0, 25, 50),
  created_at: fc.constantFrom(0, 1000, 7000).map((offset) => new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678) + offset)),
};
type Column = keyof typeof UPDATABLE;

export type Mutation =
  | { kind: 'insert'; id: string; fields: typeof productFields extends fc.Arbitrary<infer F> ? F : never }
  | { kind: 'update'; pick: number; column: Column; value: unknown }
  | { kind: 'delete'; pick: number }
  | { kind: 'restore'; pick: number };

const updateArb = fc.oneof(
  ...(Object.keys(UPDATABLE) as Column[]).map((column) =>
    fc.record({
      kind: fc.constant('update' as const),
      pick: fc.nat(),
      column: fc.constant(column),
      value: UPDATABLE[column] as fc.Arbitrary<unknown>,
    }),
  ),
);

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), id: fc.uuid({ version: 7 }), fields: productFields }),
  updateArb,
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('restore' as const), pick: fc.nat() }),
);

/** The columns a change to `column` touches (folded copies follow their source). */
function touched(column: Column): string[] {
  if (column === 'name') return ['name', 'name_folded'];
  if (column === 'category') return ['category', 'category_folded'];
  return [column];
}

/** The rows of the model and which of their columns changed since `resetChanges()`. */
export class MutableModel {
  readonly rows = new Map<string, ProductRow>();
  private changes = new Map<string, Set<string>>();

  constructor(rows: readonly ProductRow[]) {
    for (const row of rows) this.rows.set(row.id, { ...row });
  }

  resetChanges(): void {
    this.changes = new Map();
  }

  /** Columns of `id` changed since the last reset (`inserted` for rows that did not exist). */
  changed(id: string): ReadonlySet<string> {
    return this.changes.get(id) ?? new Set();
  }

  private mark(id: string, columns: string[]): void {
    const set = this.changes.get(id) ?? new Set<string>();
    for (const column of columns) set.add(column);
    this.changes.set(id, set);
  }

  async apply(db: CursorDatabase, mutation: Mutation): Promise<void> {
    const em = db.em();
    if (mutation.kind === 'insert') {
      if (this.rows.has(mutation.id)) return;
      const row = toRow(mutation.id, mutation.fields);
      await em.insert(ProductEntity, { ...row });
      this.rows.set(row.id, row);
      this.mark(row.id, ['inserted']);
      return;
    }
    const ids = [...this.rows.keys()];
    if (ids.length === 0) return;
    const row = this.rows.get(ids[mutation.pick % ids.length]!)!;
    const now = new Date();
    let patch: Partial<ProductRow>;
    if (mutation.kind === 'update') {
      const value = mutation.value;
      const before: unknown = row[mutation.column];
      const same =
        before instanceof Date && value instanceof Date ? before.getTime() === value.getTime() : before === value;
      if (same) return;
      patch = { [mutation.column]: value } as Partial<ProductRow>;
      if (mutation.column === 'name') patch.name_folded = (value as string).toLowerCase();
      if (mutation.column === 'category') patch.category_folded = (value as string).toLowerCase();
      this.mark(row.id, touched(mutation.column));
    } else {
      // Only a real change of state counts: deleting a deleted row changes nothing.
      if ((mutation.kind === 'delete') === (row.deleted_at !== null)) return;
      patch = { deleted_at: mutation.kind === 'delete' ? now : null };
      this.mark(row.id, ['deleted_at']);
    }
    await em.nativeUpdate(ProductEntity, { id: row.id }, { ...patch, updated_at: now });
    Object.assign(row, patch, { updated_at: now });
  }
}
