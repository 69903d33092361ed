// England's inequalities: recovery for White British people against people from ethnic minorities (BME Group),
// and by the deprivation decile of where people live (Indices of Deprivation Decile), by year and in the latest year.
import { escapeHtml } from '../../../core/html.js';
import { SOURCES, type ValueRow } from '../data.js';
import { figure } from '../figure.js';
import { categoriesOf, categoryLabel } from './breakdowns.js';
import { periodsOf, valueOf, type SiteWriter } from '../site.js';
import { page } from './layout.js';

const BME = 'BME Group';
const IMD = 'Indices of Deprivation Decile';

function trend(site: SiteWriter, rows: readonly ValueRow[], type: string, id: string, title: string, pick?: (label: string) => boolean): string {
  const mine = rows.filter((r) => r.source === 'nhs' && r.variable_type === type && r.measure === 'M192');
  const periods = periodsOf(mine, 'year');
  const categories = categoriesOf(mine).filter((c) => !pick || pick(categoryLabel(c)));
  if (periods.length === 0 || categories.length === 0) return '';
  return figure(
    site,
    {
      id,
      title,
      description: `Line chart of the recovery rate in England for ${categories.map(categoryLabel).join('; ')}, ${periods[0]} to ${periods.at(-1)} (${SOURCES.nhs}).`,
      kind: 'line',
      percent: true,
      table: { caption: `${title} (%)`, rowHeader: 'Year', columns: categories.map(categoryLabel), rows: periods.map((p) => ({ label: p, cells: categories.map((c) => valueOf(mine, 'nhs', p, 'M192', [type, c.variable_a, c.variable_b])) })), statistic: 'percentage' },
    },
    `inequalities-${id}.csv`,
    `inequalities-${id}.csv`,
    '',
    'h2',
  );
}

function latest(site: SiteWriter, rows: readonly ValueRow[], type: string, source: 'nhs' | 'ours', id: string): string {
  const mine = rows.filter((r) => r.source === source && r.variable_type === type && r.measure === 'M192');
  const period = periodsOf(mine, 'year').at(-1);
  if (!period) return '';
  const inPeriod = mine.filter((r) => r.period === period);
  const categories = categoriesOf(inPeriod);
  return figure(
    site,
    {
      id,
      title: `Recovery rate by ${type.toLowerCase()}, England, ${period} (${SOURCES[source]})`,
      description: `Bar chart of the recovery rate in England for each ${type.toLowerCase()} group, ${period}.`,
      kind: 'bar',
      percent: true,
      table: { caption: `Recovery rate (%) by ${type.toLowerCase()}, England, ${period}`, rowHeader: type, columns: ['Recovery rate (%)'], rows: categories.map((c) => ({ label: categoryLabel(c), cells: [valueOf(inPeriod, source, period, 'M192', [type, c.variable_a, c.variable_b])] })), statistic: 'percentage' },
    },
    `inequalities-${id}.csv`,
    `inequalities-${id}.csv`,
    '',
    'h2',
  );
}

export function inequalitiesPage(site: SiteWriter, englandBreakdowns: readonly ValueRow[]): void {
  const sections = [
    trend(site, englandBreakdowns, BME, 'bme-trend', 'Recovery rate of White British people and of people from ethnic minorities (BME), England, by year'),
    latest(site, englandBreakdowns, IMD, 'nhs', 'imd-latest'),
    trend(site, englandBreakdowns, IMD, 'imd-trend', 'Recovery rate in the least and the most deprived tenth of areas, England, by year', (l) => /^(01|10) /.test(l)),
    latest(site, englandBreakdowns, BME, 'ours', 'bme-ours'),
    latest(site, englandBreakdowns, IMD, 'ours', 'imd-ours'),
  ].filter((s) => s !== '');
  site.write(
    'inequalities.html',
    page({
      title: 'Inequalities',
      root: '',
      current: 'inequalities.html',
      main: `<h1>Inequalities in recovery</h1>
<p class="lede">Whether people recover equally well: White British people against people from ethnic minorities, and people in the least against the most deprived areas (Index of Multiple Deprivation deciles). Each organisation's page has the same split for that organisation.</p>
${sections.join('\n')}
<p class="note">${escapeHtml("The ethnic minority group (BME) is everyone whose recorded ethnicity is not White British, as NHS England groups it; people whose ethnicity is not stated are shown apart.")}</p>`,
    }),
  );
}
