// What the hub shows: the headline measures of a publication (measures/publish/summary.ts), the nine-measure
// vocabulary of NHS England's annual history mapped onto them, and the organisation levels of both sources.
import { measureById } from '../../measures/catalogue/index.js';
import { HEADLINE_MEASURES } from '../../measures/publish/summary.js';

export interface HubMeasure {
  id: string;
  label: string;
  statistic: 'count' | 'percentage';
}

export const HUB_MEASURES: readonly HubMeasure[] = HEADLINE_MEASURES.filter(([id]) => measureById(id)).map(([id, label]) => ({
  id,
  label,
  statistic: measureById(id)!.statistic === 'percentage' ? 'percentage' : 'count',
}));

export const hubMeasure = (id: string): HubMeasure => {
  const m = HUB_MEASURES.find((x) => x.id === id);
  if (!m) throw new Error(`${id} is not a hub measure`);
  return m;
};

/**
 * NHS England's annual measures (`measures_annual.parquet`: measure_name, measure_statistic) that are a headline
 * measure of ours; the file keeps nine measures and none of entering treatment or the waits.
 */
export const NHS_ANNUAL_MEASURES: readonly (readonly [name: string, statistic: string, id: string])[] = [
  ['referrals_received', 'count', 'M001'],
  ['finished_course_treatment', 'count', 'M076'],
  ['recovery', 'percentage', 'M192'],
  ['reliable_recovery', 'percentage', 'M195'],
  ['improvement', 'percentage', 'M186'],
  ['deterioration', 'percentage', 'M1010'],
];

export const LEVELS = ['England', 'Region', 'ICB', 'SubICB', 'Provider'] as const;
export type Level = (typeof LEVELS)[number];

export const LEVEL_NAMES: Record<Level, string> = {
  England: 'England',
  Region: 'Commissioning region',
  ICB: 'Integrated care board (STP before 2022-23)',
  SubICB: 'Sub-ICB location (CCG before 2022-23)',
  Provider: 'Provider',
};

/** The org_type of NHS England's annual files, and the group types of our publications, as a hub level. */
export const NHS_ORG_TYPES: readonly (readonly [string, Level])[] = [
  ['England', 'England'],
  ['Commissioning Region', 'Region'],
  ['STP', 'ICB'],
  ['ICB', 'ICB'],
  ['CCG', 'SubICB'],
  ['Provider', 'Provider'],
];
export const PUBLICATION_GROUP_TYPES: readonly (readonly [string, Level])[] = [
  ['England', 'England'],
  ['CommissioningRegion', 'Region'],
  ['Commissioning Region', 'Region'],
  ['ICB', 'ICB'],
  ['SubICB', 'SubICB'],
  ['Provider', 'Provider'],
];

/** The one code England has on the hub (published as All / all). */
export const ENGLAND_CODE = 'ENG';

/** Breakdowns the inequalities view compares (NHS England's annual names; our annual file uses the same). */
export const INEQUALITY_VARIABLES = ['BME Group', 'Indices of Deprivation Decile'] as const;
