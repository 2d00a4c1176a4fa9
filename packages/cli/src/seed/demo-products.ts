import type { ProductInputParsed } from '@catalog/contract';
import type { Random } from './prng.js';

interface CategoryKind {
  name: string;
  nouns: readonly string[];
  /** Typical shelf prices: a short list, so many products share a price (ties for the cursor). */
  prices: readonly number[];
}

const CATEGORIES: readonly CategoryKind[] = [
  {
    name: 'Books',
    nouns: ['Novel', 'Cookbook', 'Atlas', 'Field Guide', 'Anthology', 'Biography', 'Notebook'],
    prices: [7.99, 9.99, 12.5, 14.99, 19.99, 24],
  },
  {
    name: 'Electronics',
    nouns: ['Headphones', 'Charger', 'Speaker', 'Keyboard', 'Webcam', 'Power Bank', 'Monitor'],
    prices: [19.99, 29.99, 49, 79.99, 129, 249.99, 399],
  },
  {
    name: 'Kitchen',
    nouns: ['Kettle', 'Chef Knife', 'Skillet', 'Teapot', 'Mixing Bowl', 'Cutting Board', 'Grinder'],
    prices: [9.99, 14.99, 24.99, 39, 59.99, 89],
  },
  {
    name: 'Garden',
    nouns: ['Trowel', 'Planter', 'Hose', 'Pruner', 'Seed Kit', 'Watering Can'],
    prices: [4.99, 12.99, 19.99, 34.5, 49.99],
  },
  {
    name: 'Toys',
    nouns: ['Puzzle', 'Building Set', 'Plush Fox', 'Kite', 'Board Game', 'Train Set'],
    prices: [9.99, 14.99, 19.99, 29.99, 44],
  },
  {
    name: 'Sports',
    nouns: ['Yoga Mat', 'Water Bottle', 'Jump Rope', 'Running Cap', 'Tennis Balls', 'Dumbbell'],
    prices: [6.5, 12.99, 19.99, 24.99, 39.99, 59],
  },
  {
    name: 'Beauty',
    nouns: ['Face Cream', 'Shampoo', 'Lip Balm', 'Soap Bar', 'Hand Lotion'],
    prices: [3.99, 5.99, 8.5, 12.99, 18],
  },
  {
    name: 'Office',
    nouns: ['Desk Lamp', 'Stapler', 'Fountain Pen', 'Planner', 'Monitor Stand', 'Desk Mat'],
    prices: [4.99, 9.99, 15, 24.99, 49.99],
  },
  {
    name: 'Grocery',
    nouns: ['Green Tea', 'Coffee Beans', 'Olive Oil', 'Dark Chocolate', 'Honey', 'Pasta'],
    prices: [2.49, 3.99, 5.99, 8.99, 12.5],
  },
  {
    name: 'Clothing',
    nouns: ['T-Shirt', 'Hoodie', 'Scarf', 'Socks', 'Rain Jacket', 'Beanie'],
    prices: [9.99, 14.99, 24.99, 39.99, 79],
  },
];

const ADJECTIVES = [
  'Classic',
  'Compact',
  'Deluxe',
  'Eco',
  'Everyday',
  'Handmade',
  'Heavy-Duty',
  'Lightweight',
  'Modern',
  'Nordic',
  'Organic',
  'Portable',
  'Premium',
  'Rustic',
  'Smart',
  'Soft',
  'Travel',
  'Vintage',
  'Wireless',
  'Bamboo',
] as const;
const COLOURS = ['Black', 'White', 'Sage', 'Navy', 'Terracotta', 'Oak', 'Slate', 'Coral', 'Sand', 'Olive'] as const;

/** Share of products without a rating (null = not rated), and of prices off the usual shelf prices. */
const UNRATED = 0.15;
const ODD_PRICE = 0.2;

/**
 * One realistic demo product from `random`: a name like "Compact Sage Kettle", a category, a
 * price that often ties with others, and a rating 1.0–5.0 leaning high (sometimes none).
 *
 * @example
 * demoProduct(seededRandom('42')); // { name: 'Rustic Oak Teapot', category: 'Kitchen', price: 24.99, rating: 4.3 }
 */
export function demoProduct(random: Random): ProductInputParsed {
  const kind = random.pick(CATEGORIES);
  const name = `${random.pick(ADJECTIVES)} ${random.pick(COLOURS)} ${random.pick(kind.nouns)}`;
  const price = random.next() < ODD_PRICE ? Math.round(random.next() * 50_000) / 100 : random.pick(kind.prices);
  // Two draws averaged: ratings cluster around 3.5–4.5 as real reviews do.
  const rating =
    random.next() < UNRATED ? null : Math.round((1 + 4 * Math.max(random.next(), random.next())) * 10) / 10;
  return { name, category: kind.name, price, rating, sku: null };
}

/** `count` demo products, one at a time, always the same ones for the same seed. */
export function* demoProducts(random: Random, count: number): Generator<ProductInputParsed> {
  for (let made = 0; made < count; made++) yield demoProduct(random);
}
