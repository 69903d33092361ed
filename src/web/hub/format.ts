// A published value on a page: a number as published (counts with thousands separators), a suppressed cell as
// "*" with the word "suppressed" (never a zero), a value not published as "not available".
import { escapeHtml } from '../../core/html.js';

export const isSuppressed = (value: string | null | undefined): boolean => value === '*';

/** The published value as a number for a chart; null when suppressed or not published. */
export function numeric(value: string | null | undefined): number | null {
  if (value === null || value === undefined || value === '' || value === '*') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** Display text of a published value (no markup). */
export function displayText(value: string | null | undefined, statistic: 'count' | 'percentage' = 'count'): string {
  if (isSuppressed(value)) return '* suppressed';
  const n = numeric(value);
  if (n === null) return 'not available';
  return statistic === 'percentage' ? `${value} %` : n.toLocaleString('en-GB');
}

/** A table cell (td) for a published value. */
export function valueCell(value: string | null | undefined, statistic: 'count' | 'percentage' = 'count'): string {
  if (isSuppressed(value)) return `<td class="n sup"><abbr title="suppressed to protect confidentiality">*</abbr> <span class="sup-label">suppressed</span></td>`;
  const n = numeric(value);
  if (n === null) return `<td class="n na">not available</td>`;
  return `<td class="n" data-value="${escapeHtml(value!)}">${escapeHtml(statistic === 'percentage' ? value! : n.toLocaleString('en-GB'))}</td>`;
}

export interface DataTable {
  caption: string;
  /** Heading of the first column (the row labels). */
  rowHeader: string;
  columns: readonly string[];
  rows: readonly { label: string; cells: readonly (string | null)[]; statistic?: 'count' | 'percentage' }[];
  statistic?: 'count' | 'percentage';
}

/** An accessible table (caption, th scope) of published values, with the suppression legend when it needs one. */
export function dataTable(table: DataTable, root: string): string {
  const head = `<tr><th scope="col">${escapeHtml(table.rowHeader)}</th>${table.columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('')}</tr>`;
  const body = table.rows
    .map((r) => `<tr><th scope="row">${escapeHtml(r.label)}</th>${r.cells.map((c) => valueCell(c, r.statistic ?? table.statistic)).join('')}</tr>`)
    .join('\n');
  const suppressed = table.rows.some((r) => r.cells.some(isSuppressed));
  return `<div class="table-wrap" role="region" tabindex="0" aria-label="${escapeHtml(table.caption)} (table)"><table><caption>${escapeHtml(table.caption)}</caption><thead>${head}</thead><tbody>\n${body}\n</tbody></table></div>${suppressed ? suppressionLegend(root) : ''}`;
}

export const suppressionLegend = (root: string): string =>
  `<p class="legend"><abbr title="suppressed to protect confidentiality">*</abbr> suppressed: too few people to publish safely, not zero. <a href="${root}about.html#disclosure">How figures are suppressed and rounded</a>.</p>`;
