import type { Change } from '@catalog/contract';

/** What the index keeps of a product: enough to search and show it. */
export interface IndexedProduct {
  id: string;
  name: string;
  category: string;
  price: number;
}

/** The index and the feed position it reflects: saved together, so a restart resumes exactly. */
export interface IndexState {
  cursor: string | null;
  products: Record<string, IndexedProduct>;
}

/**
 * Applies one change: a deleted product leaves the index, any other change puts the product as
 * the change carries it (the product after the write, so the last change of a product wins).
 */
export function applyChange(state: IndexState, change: Change): void {
  if (change.type === 'product.deleted') {
    const { [change.product_id]: _removed, ...rest } = state.products;
    state.products = rest;
  } else {
    const { id, name, category, price } = change.product;
    state.products[id] = { id, name, category, price };
  }
  state.cursor = change.id;
}
