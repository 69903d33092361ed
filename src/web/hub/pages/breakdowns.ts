// England's breakdowns: a page per variable type (age, gender, ethnicity, deprivation, problem descriptor …, as
// each source publishes them) with the latest period of each source that holds it, and the index of them.
import { escapeHtml } from '../../../core/html.js';
import { SOURCES, type Source, type ValueRow } from '../data.js';
import { figure } from '../figure.js';
import { dataTable } from '../format.js';
import { hubMeasure, HUB_MEASURES } from '../measures.js';
import { groupBy, periodsOf, valueOf, type SiteWriter } from '../site.js';
import { page } from './layout.js';

export const slug = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
export const categoryLabel = (r: Pick<ValueRow, 'variable_a' | 'variable_b'>): string => `${r.variable_a ?? ''}${r.variable_b && r.variable_b !== 'All' ? ` – ${r.variable_b}` : ''}`;
export const categoriesOf = (rows: readonly ValueRow[]): ValueRow[] => [...new Map(rows.map((r) => [`${r.variable_a}|${r.variable_b}`, r] as const)).values()];

function section(site: SiteWriter, type: string, source: Source, period: string, rows: readonly ValueRow[], index: number): string {
  const categories = categoriesOf(rows);
  const variable = (c: ValueRow) => [type, c.variable_a, c.variable_b] as const;
  const rates = ['M192', 'M186'].filter((id) => rows.some((r) => r.measure === id && r.value !== 'NULL'));
  const measures = HUB_MEASURES.filter((m) => rows.some((r) => r.measure === m.id && r.value !== 'NULL'));
  const id = `${slug(type)}-${source}-${index}`;
  const chart = rates.length
    ? figure(
        site,
        {
          id,
          title: `${rates.map((r) => hubMeasure(r).label.replace(' (%)', '')).join(' and ')} by ${type.toLowerCase()}, England, ${period}`,
          description: `Bar chart of the ${rates.map((r) => hubMeasure(r).label.replace(' (%)', '').toLowerCase()).join(' and ')} of each ${type.toLowerCase()} group in England, ${period} (${SOURCES[source]}).`,
          kind: 'bar',
          percent: true,
          table: { caption: `${type}: outcome rates (%) in England, ${period}`, rowHeader: type, columns: rates.map((r) => hubMeasure(r).label), rows: categories.map((c) => ({ label: categoryLabel(c), cells: rates.map((r) => valueOf(rows, source, period, r, variable(c))) })), statistic: 'percentage' },
        },
        `breakdowns/${id}.csv`,
        `${id}.csv`,
        '../',
      )
    : '';
  const all = dataTable(
    {
      caption: `${type}: every headline measure in England, ${period} (${SOURCES[source]})`,
      rowHeader: type,
      columns: measures.map((m) => m.label),
      rows: categories.map((c) => ({ label: categoryLabel(c), cells: measures.map((m) => valueOf(rows, source, period, m.id, variable(c))) })),
    },
    '../',
  );
  return `<h2>${escapeHtml(period)}: ${escapeHtml(SOURCES[source])}</h2>\n${chart}\n${all}`;
}

/** A page per variable type, and the index of them. */
export function breakdownPages(site: SiteWriter, englandBreakdowns: readonly ValueRow[]): void {
  const byType = groupBy(englandBreakdowns, (r) => r.variable_type);
  const links: string[] = [];
  for (const [type, rows] of [...byType].sort((a, b) => a[0].localeCompare(b[0]))) {
    const sections: string[] = [];
    const held: string[] = [];
    for (const source of ['nhs', 'ours'] as const) {
      const periods = [...periodsOf(rows, 'quarter', source), ...periodsOf(rows, 'year', source)];
      // The latest year, and this platform's latest quarter too (the quarterly variables V001–V015).
      const chosen = source === 'nhs' ? periods.filter((p) => periodsOf(rows, 'year', source).at(-1) === p) : [periodsOf(rows, 'quarter', source).at(-1), periodsOf(rows, 'year', source).at(-1)].filter((p): p is string => !!p);
      for (const period of chosen) {
        const inPeriod = rows.filter((r) => r.source === source && r.period === period);
        if (inPeriod.length === 0) continue;
        sections.push(section(site, type, source, period, inPeriod, sections.length));
        held.push(`${period} (${SOURCES[source]})`);
      }
    }
    if (sections.length === 0) continue;
    const file = `breakdowns/${slug(type)}.html`;
    site.write(file, page({ title: `${type} – breakdowns`, root: '../', main: `<h1>England by ${escapeHtml(type.toLowerCase())}</h1>\n<p class="lede">Referrals, finished courses and outcomes in England for each ${escapeHtml(type.toLowerCase())} group.</p>\n${sections.join('\n')}\n<p><a href="../breakdowns.html">All breakdowns</a></p>` }));
    links.push(`<li><a href="${file}">${escapeHtml(type)}</a> <span class="note">${escapeHtml(held.join('; '))}</span></li>`);
  }
  site.write(
    'breakdowns.html',
    page({
      title: 'Breakdowns',
      root: '',
      current: 'breakdowns.html',
      main: `<h1>Breakdowns for England</h1>\n<p class="lede">England's figures split by the characteristics each source publishes: the latest year of NHS England's annual statistics, and the latest quarter and year of this platform's publications.</p>\n<ul>${links.join('\n')}</ul>`,
    }),
  );
}
