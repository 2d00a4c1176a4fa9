import type { ProductFilter } from '@catalog/contract';
import { PRODUCT_SORT_KEYS } from '@catalog/contract';
import { Option, type Command } from 'commander';

/** The filter and sort flags shared by `products list` and `products export`. */
export interface FilterFlags {
  search?: string;
  category?: string;
  sku?: string;
  minPrice?: string;
  maxPrice?: string;
  minRating?: string;
  sortBy?: string;
  sortOrder?: string;
  includeDeleted?: boolean;
}

/** Flag name → query field, in the order a printed command lists them. */
const FLAGS: [keyof FilterFlags, keyof ProductFilter, string][] = [
  ['search', 'search', '--search'],
  ['category', 'category', '--category'],
  ['sku', 'sku', '--sku'],
  ['minPrice', 'min_price', '--min-price'],
  ['maxPrice', 'max_price', '--max-price'],
  ['minRating', 'min_rating', '--min-rating'],
  ['sortBy', 'sort_by', '--sort-by'],
  ['sortOrder', 'sort_order', '--sort-order'],
];

/** Adds `--search --category --sku --min-price --max-price --min-rating --sort-by --sort-order --include-deleted`. */
export function addFilterOptions(command: Command): Command {
  return command
    .option('--search <text>', 'case-insensitive substring of the name (% and _ are literal)')
    .option('--category <name>', 'exact category, case-insensitive')
    .option('--sku <sku>', 'exact SKU (case-sensitive)')
    .option('--min-price <n>', 'lowest price, inclusive')
    .option('--max-price <n>', 'highest price, inclusive')
    .option('--min-rating <n>', 'lowest rating 0–5, inclusive (unrated products are left out)')
    .addOption(new Option('--sort-by <key>', 'sort key (default: created_at)').choices(PRODUCT_SORT_KEYS))
    .addOption(new Option('--sort-order <order>', 'sort direction (default: desc)').choices(['asc', 'desc']))
    .option('--include-deleted', 'include soft-deleted products (shows deleted_at)');
}

/**
 * The query fields of the given flags. Values stay strings: the core validates them with the
 * contract schemas, exactly as it does for the REST query string.
 */
export function filterFromFlags(flags: FilterFlags): ProductFilter {
  const filter: Record<string, unknown> = {};
  for (const [flag, field] of FLAGS) if (flags[flag] !== undefined) filter[field] = flags[flag];
  if (flags.includeDeleted) filter.include_deleted = true;
  return filter as ProductFilter;
}

/** The given filter flags as command-line arguments, to print the command of another page. */
export function filterArgs(flags: FilterFlags): string[] {
  const args: string[] = [];
  for (const [flag, , name] of FLAGS) {
    const value = flags[flag];
    if (value !== undefined) args.push(name, String(value));
  }
  if (flags.includeDeleted) args.push('--include-deleted');
  return args;
}
