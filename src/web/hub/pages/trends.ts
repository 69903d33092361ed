// The trend figures of an organisation (England's page, every other organisation's page): activity and outcome
// rates by year, from NHS England's history and, as separate lines, this platform's published years.
import { SOURCES, type Source, type ValueRow } from '../data.js';
import { figure } from '../figure.js';
import { hubMeasure, HUB_MEASURES } from '../measures.js';
import { periodsOf, valueOf, type OrgValues, type SiteWriter } from '../site.js';

const SHORT: Record<Source, string> = { nhs: 'NHS England', ours: 'this platform' };
const sourcesOf = (rows: readonly ValueRow[]): Source[] => (['nhs', 'ours'] as const).filter((s) => rows.some((r) => r.source === s && r.period_type === 'year'));
const measureHas = (rows: readonly ValueRow[], source: Source, id: string) => rows.some((r) => r.source === source && r.measure === id && r.period_type === 'year');

export interface Where {
  /** CSV path stem from the site root (e.g. org/Provider-RHV) and the page's href to the same. */
  csvStem: string;
  csvHref: string;
  root: string;
}

/** Activity by year: referrals received and finished a course, per source. */
function activity(site: SiteWriter, o: OrgValues, where: Where): string {
  const periods = periodsOf(o.rows, 'year');
  const columns: { name: string; source: Source; id: string }[] = [];
  for (const source of sourcesOf(o.rows)) for (const id of ['M001', 'M076']) if (measureHas(o.rows, source, id)) columns.push({ name: `${hubMeasure(id).label} (${SHORT[source]})`, source, id });
  if (columns.length === 0) return '';
  const id = 'activity';
  return figure(
    site,
    {
      id,
      title: `Referrals received and courses of treatment finished, by year: ${o.org.org_name}`,
      description: `Line chart of ${columns.map((c) => c.name).join('; ')} for ${periods[0]} to ${periods.at(-1)}.`,
      kind: 'line',
      table: { caption: `Referrals received and courses finished by year, ${o.org.org_name}`, rowHeader: 'Year', columns: columns.map((c) => c.name), rows: periods.map((p) => ({ label: p, cells: columns.map((c) => valueOf(o.rows, c.source, p, c.id)) })), statistic: 'count' },
      dashed: columns.map((c) => c.id === 'M076'),
    },
    `${where.csvStem}-${id}.csv`,
    `${where.csvHref}-${id}.csv`,
    where.root,
  );
}

/** One outcome rate by year, the organisation's against England's, per source. */
function rateAgainstEngland(site: SiteWriter, o: OrgValues, england: OrgValues, measure: string, where: Where): string {
  const periods = periodsOf(o.rows, 'year');
  const columns: { name: string; rows: readonly ValueRow[]; source: Source; england: boolean }[] = [];
  for (const source of sourcesOf(o.rows)) {
    if (!measureHas(o.rows, source, measure)) continue;
    columns.push({ name: `${o.org.org_name} (${SHORT[source]})`, rows: o.rows, source, england: false });
    columns.push({ name: `England (${SHORT[source]})`, rows: england.rows, source, england: true });
  }
  if (columns.length === 0) return '';
  const label = hubMeasure(measure).label;
  const id = measure.toLowerCase();
  return figure(
    site,
    {
      id,
      title: `${label} by year, against England`,
      description: `Line chart of the ${label.replace(' (%)', '').toLowerCase()} of ${o.org.org_name} (solid lines) and of England (dashed lines), ${periods[0]} to ${periods.at(-1)}.`,
      kind: 'line',
      percent: true,
      table: { caption: `${label} by year, ${o.org.org_name} and England`, rowHeader: 'Year', columns: columns.map((c) => c.name), rows: periods.map((p) => ({ label: p, cells: columns.map((c) => valueOf(c.rows, c.source, p, measure)) })), statistic: 'percentage' },
      dashed: columns.map((c) => c.england),
    },
    `${where.csvStem}-${id}.csv`,
    `${where.csvHref}-${id}.csv`,
    where.root,
  );
}

/** England's outcome rates by year, every rate the sources hold. */
function englandRates(site: SiteWriter, england: OrgValues, where: Where): string {
  const periods = periodsOf(england.rows, 'year');
  const columns: { name: string; source: Source; id: string }[] = [];
  for (const source of sourcesOf(england.rows))
    for (const m of HUB_MEASURES) if (m.statistic === 'percentage' && measureHas(england.rows, source, m.id)) columns.push({ name: `${m.label.replace(' (%)', '')} (${SHORT[source]})`, source, id: m.id });
  const id = 'outcomes';
  return figure(
    site,
    {
      id,
      title: 'Outcomes of finished courses of treatment in England, by year',
      description: `Line chart of ${columns.map((c) => c.name).join('; ')}, percentages, ${periods[0]} to ${periods.at(-1)}.`,
      kind: 'line',
      percent: true,
      table: { caption: 'Outcome rates (%) in England by year', rowHeader: 'Year', columns: columns.map((c) => c.name), rows: periods.map((p) => ({ label: p, cells: columns.map((c) => valueOf(england.rows, c.source, p, c.id)) })), statistic: 'percentage' },
      dashed: columns.map((c) => c.source === 'ours'),
    },
    `${where.csvStem}-${id}.csv`,
    `${where.csvHref}-${id}.csv`,
    where.root,
  );
}

export function trendFigures(site: SiteWriter, o: OrgValues, england: OrgValues, where: Where): string {
  if (o === england) return activity(site, o, where) + englandRates(site, england, where);
  return activity(site, o, where) + rateAgainstEngland(site, o, england, 'M192', where) + rateAgainstEngland(site, o, england, 'M186', where) + rateAgainstEngland(site, o, england, 'M1010', where);
}

export { SHORT, SOURCES };
