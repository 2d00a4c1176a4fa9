import type { DashboardSummary } from '@catalog/client';
import { byId } from './dom.js';
import { formatPrice } from './format.js';

function setText(testId: string, text: string): void {
  const node = byId('dashboard', HTMLElement).querySelector(`[data-testid="${testId}"]`);
  if (node) node.textContent = text;
}

/** Writes the dashboard numbers; hidden when `summary` is null (signed out). */
export function renderDashboard(summary: DashboardSummary | null): void {
  const section = byId('dashboard', HTMLElement);
  section.hidden = summary === null;
  if (!summary) return;
  setText('dash-total', String(summary.total_products));
  setText('dash-rating', summary.average_rating === null ? '—' : summary.average_rating.toFixed(2));
  setText('dash-categories', String(summary.categories.length));
  const top = summary.highest_priced_product;
  setText('dash-highest', top ? `${top.name} · ${formatPrice(top.price)}` : '—');
}
