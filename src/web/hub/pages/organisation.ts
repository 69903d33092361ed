// The page of one organisation (England's is the hub's front page): its latest figures against England's, the
// trends, this platform's months and quarters, and for an organisation below England its inequalities.
import { escapeHtml } from '../../../core/html.js';
import { SOURCES, type Source, type ValueRow } from '../data.js';
import { dataTable } from '../format.js';
import { HUB_MEASURES, INEQUALITY_VARIABLES, LEVEL_NAMES } from '../measures.js';
import { orgKey, periodsOf, valueOf, type OrgValues, type SiteWriter } from '../site.js';
import { page } from './layout.js';
import { trendFigures } from './trends.js';

const NHS_NOTE =
  "NHS England's annual history holds six of these measures (referrals, finished courses and the four outcome rates); entering treatment and the 6- and 18-week waits come from this platform's publications only.";

function describeSources(rows: readonly ValueRow[]): string {
  const parts: string[] = [];
  const nhs = periodsOf(rows, 'year', 'nhs');
  if (nhs.length) parts.push(`${SOURCES.nhs}, ${nhs[0]}${nhs.length > 1 ? ` to ${nhs.at(-1)}` : ''}`);
  const ours = [...periodsOf(rows, 'month', 'ours'), ...periodsOf(rows, 'quarter', 'ours'), ...periodsOf(rows, 'year', 'ours')];
  if (ours.length) parts.push(`${SOURCES.ours}: ${ours.join(', ')}`);
  return parts.join('; ');
}

function latestTables(o: OrgValues, england: OrgValues, root: string): string {
  const isEngland = o === england;
  return (['nhs', 'ours'] as const)
    .map((source: Source) => {
      const periods = periodsOf(o.rows, 'year', source);
      const period = periods.at(-1);
      if (!period) return '';
      const measures = HUB_MEASURES.filter((m) => valueOf(o.rows, source, period, m.id) !== null || valueOf(england.rows, source, period, m.id) !== null);
      return dataTable(
        {
          caption: `${period}: ${SOURCES[source]}`,
          rowHeader: 'Measure',
          columns: isEngland ? ['England'] : [o.org.org_name, 'England'],
          rows: measures.map((m) => ({ label: m.label, statistic: m.statistic, cells: isEngland ? [valueOf(o.rows, source, period, m.id)] : [valueOf(o.rows, source, period, m.id), valueOf(england.rows, source, period, m.id)] })),
        },
        root,
      );
    })
    .join('\n');
}

function monthsAndQuarters(o: OrgValues, root: string): string {
  const periods = [...periodsOf(o.rows, 'month', 'ours'), ...periodsOf(o.rows, 'quarter', 'ours')];
  if (periods.length === 0) return '';
  const measures = HUB_MEASURES.filter((m) => periods.some((p) => valueOf(o.rows, 'ours', p, m.id) !== null));
  const rows = measures.map((m) => ({ label: m.label, statistic: m.statistic, cells: periods.map((p) => valueOf(o.rows, 'ours', p, m.id)) }));
  return `<h2>This platform's published months and quarters</h2>
${dataTable({ caption: `${o.org.org_name}: months and quarters published by this platform`, rowHeader: 'Measure', columns: periods, rows }, root)}`;
}

function inequalityTable(o: OrgValues, breakdowns: readonly ValueRow[], englandBreakdowns: readonly ValueRow[], root: string): string {
  if (breakdowns.length === 0) return '';
  const out: string[] = [];
  for (const source of ['nhs', 'ours'] as const) {
    const mine = breakdowns.filter((r) => r.source === source);
    const period = mine[0]?.period;
    if (!period) continue;
    const categories = [...new Map(mine.map((r) => [`${r.variable_type}|${r.variable_a}|${r.variable_b}`, r] as const)).values()];
    const rows = categories.map((c) => {
      const v = [c.variable_type, c.variable_a, c.variable_b] as const;
      return {
        label: `${c.variable_type}: ${c.variable_a ?? ''}${c.variable_b && c.variable_b !== 'All' ? ` – ${c.variable_b}` : ''}`,
        cells: [valueOf(mine, source, period, 'M076', v), valueOf(mine, source, period, 'M192', v), valueOf(englandBreakdowns, source, period, 'M192', v)],
      };
    });
    out.push(
      dataTable(
        {
          caption: `${o.org.org_name}, ${period} (${SOURCES[source]}): finished courses and recovery by ${INEQUALITY_VARIABLES.join(' and by ').toLowerCase()}`,
          rowHeader: 'Group',
          columns: ['Finished a course of treatment', 'Recovery rate (%)', 'England recovery rate (%)'],
          rows,
        },
        root,
      ),
    );
  }
  return out.length ? `<h2>Inequalities</h2>\n<p>Recovery for White British people against people from ethnic minorities (BME), and by the deprivation decile of where people live. <a href="${root}inequalities.html">England's inequalities</a>.</p>\n${out.join('\n')}` : '';
}

export function organisationPage(site: SiteWriter, o: OrgValues, england: OrgValues, inequalities: readonly ValueRow[], englandBreakdowns: readonly ValueRow[]): void {
  const isEngland = o === england;
  const root = isEngland ? '' : '../';
  const key = orgKey(o.org.level, o.org.org_code);
  const stem = isEngland ? 'england' : `org/${key}`;
  const href = isEngland ? 'england' : key;
  const title = isEngland ? 'NHS Talking Therapies in England' : `${o.org.org_name} (${o.org.org_code})`;
  const main = `<h1>${escapeHtml(title)}</h1>
<p class="lede">${isEngland ? 'Referrals, treatment and outcomes of NHS Talking Therapies for anxiety and depression, for England as a whole.' : `${escapeHtml(LEVEL_NAMES[o.level])}, code ${escapeHtml(o.org.org_code)}, against England.`}</p>
<p class="note">Sources: ${escapeHtml(describeSources(o.rows))}. ${isEngland ? '' : 'Counts below England are rounded to the nearest 5 and small counts suppressed. '}<a href="${root}about.html#disclosure">How figures are suppressed and rounded</a>.</p>
<h2>Latest figures</h2>
<p class="note">${NHS_NOTE}</p>
${latestTables(o, england, root)}
<h2>Trends</h2>
${trendFigures(site, o, england, { csvStem: stem, csvHref: href, root })}
${monthsAndQuarters(o, root)}
${isEngland ? '' : inequalityTable(o, inequalities, englandBreakdowns, root)}
<p><a href="${root}compare.html">Compare with other organisations</a> · <a href="${root}search.html">Find another organisation</a></p>`;
  site.write(isEngland ? 'index.html' : `org/${key}.html`, page({ title, root, main, ...(isEngland ? { current: 'index.html' } : {}) }));
}
