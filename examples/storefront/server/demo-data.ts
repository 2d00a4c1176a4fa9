import type { ProductInput } from '@catalog/contract';

const CATEGORIES = ['books', 'coffee', 'tea', 'games', 'garden', 'kitchen'] as const;
const ADJECTIVES = [
  'Amber',
  'Brisk',
  'Cosy',
  'Dusky',
  'Early',
  'Fresh',
  'Golden',
  'Hazy',
  'Iron',
  'Jade',
  'Kind',
  'Lunar',
];
const NOUNS: Record<(typeof CATEGORIES)[number], string[]> = {
  books: ['Atlas', 'Almanac', 'Novel', 'Handbook', 'Anthology'],
  coffee: ['Espresso', 'Roast', 'Blend', 'Cold Brew', 'Drip'],
  tea: ['Sencha', 'Oolong', 'Chai', 'Earl Grey', 'Matcha'],
  games: ['Puzzle', 'Board Game', 'Card Deck', 'Dice Set', 'Quiz'],
  garden: ['Trowel', 'Planter', 'Seed Kit', 'Watering Can', 'Shears'],
  kitchen: ['Kettle', 'Skillet', 'Whisk', 'Teapot', 'Grinder'],
};

/** A small deterministic pseudo-random sequence (mulberry32), so demo data is the same every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` demo products over six categories with varied prices and ratings (some unrated),
 * identical for the same `seed`. Names carry a number so each one is unique.
 *
 * @example
 * await catalog.products.createMany(demoProducts(120), { actor: SYSTEM_ACTOR });
 */
export function demoProducts(count: number, seed = 42): ProductInput[] {
  const next = random(seed);
  return Array.from({ length: count }, (_, index) => {
    const category = CATEGORIES[index % CATEGORIES.length] ?? 'books';
    const nouns = NOUNS[category];
    const adjective = ADJECTIVES[Math.floor(next() * ADJECTIVES.length)] ?? 'Plain';
    const noun = nouns[Math.floor(next() * nouns.length)] ?? 'Thing';
    const price = Math.round((2 + next() * 198) * 100) / 100;
    const rating = next() < 0.15 ? null : Math.round(next() * 50) / 10;
    return { name: `${adjective} ${noun} ${String(index + 1).padStart(3, '0')}`, category, price, rating };
  });
}
