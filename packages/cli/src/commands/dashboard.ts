import type { DashboardSummary } from '@catalog/contract';
import { Option, type Command } from 'commander';
import { withCatalog } from '../context.js';
import { renderRecord, renderTable, showPrice } from '../format/table.js';
import { productView } from '../format/views.js';
import { write, type Io } from '../io.js';

/** `catalog dashboard`: the summary of the catalog, as tables or the REST JSON. */
export function registerDashboard(program: Command, io: Io): void {
  program
    .command('dashboard')
    .description('summary of the catalog: totals, average rating, most expensive, newest, categories')
    .addOption(
      new Option('--format <format>', 'output format (default: table on a terminal, else json)').choices([
        'table',
        'json',
      ]),
    )
    .addHelpText('after', '\nExamples:\n  $ catalog dashboard\n  $ catalog dashboard --format json | jq .categories')
    .action(async (flags: { format?: 'table' | 'json' }, command: Command) => {
      const format = flags.format ?? (io.stdout.isTTY ? 'table' : 'json');
      const summary = await withCatalog(command, (catalog) => catalog.dashboard.summary());
      await write(io.stdout, format === 'json' ? `${JSON.stringify(summary, null, 2)}\n` : renderSummary(summary));
    });
}

/** The summary as three tables: totals, categories, recent products. */
export function renderSummary(summary: DashboardSummary): string {
  const top = summary.highest_priced_product;
  const totals = renderRecord([
    ['total products', String(summary.total_products)],
    ['average rating', summary.average_rating === null ? '-' : summary.average_rating.toFixed(2)],
    ['highest priced', top ? `${top.name} (${showPrice(top.price)}, ${top.id})` : '-'],
  ]);
  const categories =
    summary.categories.length === 0
      ? ''
      : `\nCategories\n${renderTable(summary.categories, [
          { header: 'category', value: (c) => c.category },
          { header: 'products', value: (c) => String(c.count), align: 'right' },
        ])}`;
  const recent =
    summary.recent_products.length === 0
      ? ''
      : `\nRecent products\n${renderTable(summary.recent_products, productView().tableColumns)}`;
  return totals + categories + recent;
}
