// A chart as a page shows it: its title and description (which name the SVG), the SVG, the same numbers as an
// accessible table, and a link to them as CSV, written beside the page.
import { escapeHtml } from '../../core/html.js';
import { barChart, lineChart } from './charts.js';
import { tableCsv } from './csv.js';
import { dataTable, numeric, type DataTable } from './format.js';
import type { SiteWriter } from './site.js';

export interface FigureSpec {
  /** Unique on the page; also the CSV's name stem. */
  id: string;
  title: string;
  description: string;
  kind: 'line' | 'bar';
  percent?: boolean;
  /** Lines: rows are periods, columns series. Bars: rows are categories, columns series. */
  table: DataTable;
  dashed?: readonly boolean[];
}

/**
 * The figure's HTML. `csvPath` is the CSV's path from the site root and `csvHref` the same from the page;
 * the heading level is the section's.
 */
export function figure(site: SiteWriter, spec: FigureSpec, csvPath: string, csvHref: string, root: string, heading = 'h3'): string {
  const { table } = spec;
  const series = table.columns.map((name, i) => ({ name, values: table.rows.map((r) => numeric(r.cells[i])), dashed: spec.dashed?.[i] ?? false }));
  const chartSpec = { id: spec.id, categories: table.rows.map((r) => r.label), series, ...(spec.percent ? { percent: true } : {}) };
  const svg = spec.kind === 'line' ? lineChart(chartSpec) : barChart(chartSpec);
  site.write(csvPath, tableCsv(table));
  const gaps = table.rows.some((r) => r.cells.some((c) => numeric(c) === null)) ? ' Gaps are values suppressed or not published.' : '';
  return `<figure class="chart">
<${heading} id="${spec.id}">${escapeHtml(spec.title)}</${heading}>
<p id="${spec.id}-desc" class="note">${escapeHtml(spec.description)}${gaps} The numbers are in the table below.</p>
${svg}
${dataTable(table, root)}
<p class="csv"><a href="${escapeHtml(csvHref)}" download>Download the data behind this chart (CSV)</a></p>
</figure>`;
}
