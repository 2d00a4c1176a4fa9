import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { PRODUCT_PROPERTIES } from './product-table.js';

/*
 * Property names are the column names (snake_case), so raw rows and entities read the same.
 * The tables themselves are created by the shipped migrations in ./migrations, not by these
 * definitions: the migrations hold what MikroORM cannot express on both databases
 * (COLLATE "C", partial and expression indexes).
 */

export const UserEntity = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    id: p.uuid().primary(),
    email: p.string().length(254).unique(),
    name: p.string().length(100).nullable(),
    role: p.string().length(16),
    password_hash: p.string().length(100).hidden(),
    created_at: p.datetime(3),
    /** When an admin disabled the account; null while it may sign in. */
    disabled_at: p.datetime(3).nullable(),
  },
});
export type UserRecord = InferEntity<typeof UserEntity>;

export const ProductEntity = defineEntity({
  name: 'Product',
  tableName: 'products',
  properties: PRODUCT_PROPERTIES,
});
export type ProductRecord = InferEntity<typeof ProductEntity>;

export const RefreshTokenEntity = defineEntity({
  name: 'RefreshToken',
  tableName: 'refresh_tokens',
  properties: {
    id: p.uuid().primary(),
    /** SHA-256 (hex) of the token; the token itself is never stored. */
    token_hash: p.string().length(64).unique(),
    /** Every token issued by rotation from one login shares the family of that login. */
    family_id: p.uuid(),
    user_id: p.uuid(),
    expires_at: p.datetime(3),
    /** Set when the token was exchanged for a new one; presenting it again revokes the family. */
    used_at: p.datetime(3).nullable(),
    revoked_at: p.datetime(3).nullable(),
    created_at: p.datetime(3),
  },
});
export type RefreshTokenRecord = InferEntity<typeof RefreshTokenEntity>;

/** The change feed (changes/change-store.ts); read as plain rows, never written through the ORM. */
export const ChangeEntity = defineEntity({
  name: 'Change',
  tableName: 'changes',
  properties: {
    seq: p.bigint('number').primary(),
    /** The writing transaction (PostgreSQL; 0 on SQLite): the first key of the feed's order there. */
    txid: p.bigint('number'),
    type: p.string().length(32),
    product_id: p.uuid(),
    /** The product's wire JSON after the write. */
    product: p.text(),
    actor_id: p.uuid().nullable(),
    at: p.datetime(3),
  },
});
export type ChangeRecord = InferEntity<typeof ChangeEntity>;

export const ENTITIES = [UserEntity, ProductEntity, RefreshTokenEntity, ChangeEntity];
