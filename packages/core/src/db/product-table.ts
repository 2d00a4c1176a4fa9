import { PRODUCT_LIMITS, type Product, type ProductInputParsed } from '@catalog/contract';
import { p } from '@mikro-orm/core';
import { uuidv7 } from 'uuidv7';
import { boundedMemo } from '../bounded-memo.js';
import type { DatabaseKind } from '../config.js';

/*
 * The products table: the one definition of a product row. Its columns (and so the entity, the
 * select list, the insert and update statements), input → row and row → wire all come from here.
 * Adding a field means: the contract's schema, a property here and in toRow/toProduct, a migration.
 */

/** Column by column, as MikroORM properties; property names are the column names. */
export const PRODUCT_PROPERTIES = {
  id: p.uuid().primary(),
  name: p.string().length(PRODUCT_LIMITS.nameMax),
  /** `name` folded in JS (fold below), for case-insensitive substring search that means the same everywhere. */
  name_folded: p.string().length(PRODUCT_LIMITS.nameMax),
  category: p.string().length(PRODUCT_LIMITS.categoryMax),
  /** `category` folded, for exact case-insensitive category filters and the per-category totals. */
  category_folded: p.string().length(PRODUCT_LIMITS.categoryMax),
  /** Price as integer cents: exact, and comparable as integers in cursors. */
  price_cents: p.bigint('number'),
  /** Rating × 10 (0–50), null when not rated. */
  rating_tenths: p.smallint().nullable(),
  sku: p.string().length(PRODUCT_LIMITS.skuMax).nullable(),
  version: p.integer(),
  created_at: p.datetime(3),
  updated_at: p.datetime(3),
  deleted_at: p.datetime(3).nullable(),
};

/**
 * A product row with its values in JavaScript's types (test/products/product-table.test.ts checks
 * that it names every column).
 */
export interface ProductRow {
  id: string;
  name: string;
  name_folded: string;
  category: string;
  category_folded: string;
  price_cents: number;
  rating_tenths: number | null;
  sku: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

/**
 * A row as a driver returns it: SQLite gives datetimes as epoch ms, PostgreSQL as Date, and bigint
 * cents as a string.
 */
export type ProductDbRow = {
  [K in keyof ProductRow]: ProductRow[K] extends Date ? Date | number | string : ProductRow[K] | string;
};

/** Every column, in table order. */
export const PRODUCT_COLUMNS = Object.keys(PRODUCT_PROPERTIES) as (keyof ProductRow)[];

/** Columns kept only for searching and filtering; the wire never shows them. */
const DERIVED_COLUMNS: readonly (keyof ProductRow)[] = ['name_folded', 'category_folded'];

/** The columns toProduct reads: a listing or a get selects only these. */
export const PRODUCT_WIRE_COLUMNS = PRODUCT_COLUMNS.filter((column) => !DERIVED_COLUMNS.includes(column));

/** PRODUCT_WIRE_COLUMNS as a select list. */
export const PRODUCT_SELECT = PRODUCT_WIRE_COLUMNS.join(', ');

/** Columns an update may change: all but the identity. */
export const PRODUCT_MUTABLE_COLUMNS = PRODUCT_COLUMNS.filter((column) => column !== 'id' && column !== 'created_at');

/** Folding used for case-insensitive search and category matching, identical on every database. */
export function fold(text: string): string {
  return text.toLowerCase();
}

export function priceToCents(price: number): number {
  return Math.round(price * 100);
}

export function ratingToTenths(rating: number | null): number | null {
  return rating === null ? null : Math.round(rating * 10);
}

/** What a row has besides its input: identity, version and lifecycle. */
export type ProductIdentity = Pick<ProductRow, 'id' | 'version' | 'created_at' | 'updated_at' | 'deleted_at'>;

/** The identity of a product created at `now`. */
export function newIdentity(now: Date, id: string = uuidv7()): ProductIdentity {
  return { id, version: 1, created_at: now, updated_at: now, deleted_at: null };
}

/** Identity fields as an import gives them (validated: UUIDv7, ISO-8601 UTC with ms), any of them missing. */
export interface GivenIdentity {
  id?: string | undefined;
  version?: number | undefined;
  created_at?: string | undefined;
  updated_at?: string | undefined;
  deleted_at?: string | null | undefined;
}

/**
 * The identity of an imported row: what the input gives, the rest as for a product created at
 * `now` (a missing `created_at` is the given `updated_at`, a missing `updated_at` the `created_at`).
 */
export function importedIdentity(given: GivenIdentity, now: Date, newId: () => string): ProductIdentity {
  const created = given.created_at ?? given.updated_at;
  const created_at = created === undefined ? now : new Date(created);
  return {
    id: given.id === undefined ? newId() : given.id.toLowerCase(),
    version: given.version ?? 1,
    created_at,
    updated_at: given.updated_at === undefined ? created_at : new Date(given.updated_at),
    deleted_at: given.deleted_at === undefined || given.deleted_at === null ? null : new Date(given.deleted_at),
  };
}

/** A row from validated input and an identity. */
export function toRow(input: ProductInputParsed, identity: ProductIdentity): ProductRow {
  return {
    id: identity.id,
    name: input.name,
    name_folded: fold(input.name),
    category: input.category,
    category_folded: fold(input.category),
    price_cents: priceToCents(input.price),
    rating_tenths: ratingToTenths(input.rating),
    sku: input.sku,
    version: identity.version,
    created_at: identity.created_at,
    updated_at: identity.updated_at,
    deleted_at: identity.deleted_at,
  };
}

/** The input fields of a row (what a replace would have to send to leave it as it is). */
export function toInput(row: ProductRow): ProductInputParsed {
  const { name, category, price, rating, sku } = toProduct(row, false);
  return { name, category, price, rating, sku };
}

function toDate(value: Date | number | string): Date {
  return value instanceof Date ? value : new Date(typeof value === 'string' && /^\d+$/.test(value) ? +value : value);
}

/** Epoch ms → ISO text, for a few hundred pages' timestamps. */
const isoText = boundedMemo(8192, (ms: number) => new Date(ms).toISOString());

/**
 * Timestamps may arrive as Date or as epoch ms / strings (raw rows); the wire is ISO with ms.
 * The pages read most often are the same rows again and again, so the text of an instant is
 * remembered rather than formatted twice per row per request.
 */
export function toIso(value: Date | number | string): string {
  return isoText(typeof value === 'number' ? value : toDate(value).getTime());
}

/** A driver's row in JavaScript's types. */
export function fromDb(raw: ProductDbRow): ProductRow {
  return {
    id: String(raw.id),
    name: String(raw.name),
    name_folded: String(raw.name_folded),
    category: String(raw.category),
    category_folded: String(raw.category_folded),
    price_cents: Number(raw.price_cents),
    rating_tenths: raw.rating_tenths === null ? null : Number(raw.rating_tenths),
    sku: raw.sku === null ? null : String(raw.sku),
    version: Number(raw.version),
    created_at: toDate(raw.created_at),
    updated_at: toDate(raw.updated_at),
    deleted_at: raw.deleted_at === null ? null : toDate(raw.deleted_at),
  };
}

/** The wire-format columns of a row, as a driver or toRow gives them. */
export type ProductWireRow = Pick<ProductDbRow, (typeof PRODUCT_WIRE_COLUMNS)[number]>;

/**
 * The wire shape of a product. `deleted_at` is included only for admins (`withDeletedAt`), so a
 * non-admin response never reveals soft-delete state.
 */
export function toProduct(row: ProductWireRow | ProductRow, withDeletedAt: boolean): Product {
  const product: Product = {
    id: String(row.id),
    name: String(row.name),
    category: String(row.category),
    price: Number(row.price_cents) / 100,
    rating: row.rating_tenths === null || row.rating_tenths === undefined ? null : Number(row.rating_tenths) / 10,
    sku: row.sku ?? null,
    version: Number(row.version),
    created_at: toIso(row.created_at),
    updated_at: toIso(row.updated_at),
  };
  if (withDeletedAt) product.deleted_at = row.deleted_at === null ? null : toIso(row.deleted_at);
  return product;
}

/** A value as the database takes it: SQLite keeps datetimes as epoch ms, PostgreSQL as timestamptz. */
export function dbValue(value: ProductRow[keyof ProductRow], database: DatabaseKind): unknown {
  return value instanceof Date && database === 'sqlite' ? value.getTime() : value;
}

/**
 * The insert of a group of rows, all passed as ONE parameter (insertParameter): binding a dozen
 * parameters per row from JavaScript costs the main thread more than parsing the input did, while
 * JSON.stringify is cheap and the database unpacks the array on its own thread. SQLite reads each
 * row as an array (`->>` gives text, integer or null, as bound values would be); PostgreSQL maps
 * each row object onto the table's own column types.
 */
export function insertSql(database: DatabaseKind): string {
  const columns = PRODUCT_COLUMNS.join(', ');
  if (database === 'postgresql') {
    return `insert into products (${columns}) select ${columns} from json_populate_recordset(null::products, ?::json)`;
  }
  const values = PRODUCT_COLUMNS.map((_, i) => `value ->> ${i}`).join(', ');
  return `insert into products (${columns}) select ${values} from json_each(?)`;
}

/** The one parameter of insertSql for `rows`. */
export function insertParameter(rows: readonly ProductRow[], database: DatabaseKind): string {
  // PostgreSQL: objects whose Dates JSON writes as ISO strings. SQLite: positional arrays.
  if (database === 'postgresql') return JSON.stringify(rows);
  return JSON.stringify(rows.map((row) => PRODUCT_COLUMNS.map((column) => dbValue(row[column], database))));
}

/** `update products set … where id = ?`: every mutable column from `row`. */
export function updateStatement(row: ProductRow, database: DatabaseKind): { sql: string; params: unknown[] } {
  const assignments = PRODUCT_MUTABLE_COLUMNS.map((column) => `${column} = ?`).join(', ');
  return {
    sql: `update products set ${assignments} where id = ?`,
    params: [...PRODUCT_MUTABLE_COLUMNS.map((column) => dbValue(row[column], database)), row.id],
  };
}

/** `update products set … where id = ?`: every column but the id from `row` (an import restoring a row as it was). */
export function replaceStatement(row: ProductRow, database: DatabaseKind): { sql: string; params: unknown[] } {
  const columns = PRODUCT_COLUMNS.filter((column) => column !== 'id');
  return {
    sql: `update products set ${columns.map((column) => `${column} = ?`).join(', ')} where id = ?`,
    params: [...columns.map((column) => dbValue(row[column], database)), row.id],
  };
}
