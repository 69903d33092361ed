// The measures metadata file that accompanies a publication: what each published measure is and how it is
// built, generated from the definitions themselves; then the commissioner group types (CommissioningRegion, ICB):
// how their organisations were resolved for each period, and the UNKNOWN group of those that could not be.
import { literal } from '../../core/sql.js';
import type { Cohort, MeasureDefinition, Term, Unit } from '../definition.js';
import { UNKNOWN_GEOGRAPHY, type GeographyResolution } from '../groups.js';
import { csvLine } from './csv.js';

const UNIT_WORDS: Partial<Record<Unit, string>> = { referral: 'referrals (distinct PathwayID)', contact: 'care contacts (distinct Unique_CareContactID)', internetLog: 'internet-enabled therapy log entries' };
const unitWords = (unit: Unit | undefined): string => UNIT_WORDS[unit ?? 'referral'] ?? `${unit} rows`;

function cohortText(c: Cohort): string {
  const parts = [c.date ? `${c.date} is in the period` : 'at the end of the period', c.where].filter(Boolean);
  return `${c.distinct ? `distinct ${c.distinct} of ` : ''}${unitWords(c.unit)} where ${parts.join(' and ')}`;
}

const termText = (t: Term): string => (typeof t === 'string' ? t.replace(/^-/, 'minus ') : `${t.subtract ? 'minus ' : ''}count of ${cohortText(t)}`);

/** A plain-language description and the construction (our SQL conditions), for one measure. */
export function describe(m: MeasureDefinition): { description: string; construction: string } {
  switch (m.statistic) {
    case 'percentage':
      return { description: `Percentage: ${m.numerator.map(termText).join(' plus ')} divided by ${m.denominator.map(termText).join(' plus ')}`, construction: `100 * (${m.numerator.map(termText).join(' + ')}) / (${m.denominator.map(termText).join(' + ')})` };
    case 'total':
      return { description: `Total: ${m.terms.map(termText).join(' plus ')}`, construction: m.terms.map(termText).join(' + ') };
    case 'count':
      return { description: `Count of ${unitWords(m.unit)}`, construction: `count of ${cohortText(m)}` };
    case 'ratio':
      return { description: `Sum of ${m.of} divided by sum of ${m.per}`, construction: `sum(${m.of}) / sum(${m.per}) over ${cohortText(m)}` };
    default:
      return { description: `${m.statistic[0]!.toUpperCase()}${m.statistic.slice(1)} of ${m.of}`, construction: `${m.statistic}(${m.of}) over ${cohortText(m)}` };
  }
}

export const METADATA_HEADER = ['MEASURE_ID', 'MEASURE_NAME', 'STATISTIC', 'FREQUENCY', 'DESCRIPTION', 'CONSTRUCTION', 'NOTE'] as const;

/** How a period's commissioner geography was resolved, in words (no counts: they would escape disclosure control). */
export function resolutionText(label: string, r: GeographyResolution): string {
  if (r.referrals === 0) return `${label}: no referrals.`;
  const processed = 'derived by iapt process from organisation reference data';
  const looked = 'looked up by iapt publish in its --reference data';
  const sources =
    r.processed > 0 && r.atPublication > 0 ? `${processed}, and ${looked} where the processed data have none` : r.processed > 0 ? processed : r.atPublication > 0 ? `${looked} (the data were processed without)` : '';
  if (!sources) {
    const why = r.reference ? 'no commissioner code (OrgIDComm) of the period is in the reference data given to iapt publish' : 'the data were processed without --reference and iapt publish was given no --reference';
    return `${label}: every referral is under ${UNKNOWN_GEOGRAPHY} (${why}).`;
  }
  const rest = r.unknown > 0 ? `; the others (a commissioner code unknown to the reference data) are under ${UNKNOWN_GEOGRAPHY}` : '';
  return `${label}: ${sources}${rest}.`;
}

const GEOGRAPHY_GROUPS: readonly { id: string; what: string; column: string }[] = [
  { id: 'CommissioningRegion', what: "the NHS England commissioning region of the referral's commissioner", column: 'CommissioningRegion' },
  { id: 'ICB', what: "the integrated care board (ICB) of the referral's commissioner", column: 'OrgIDICBComm' },
];

/** The rows that state, per commissioner group type, how its organisations were resolved in each period. */
function geographyRows(resolutions: readonly (readonly [string, GeographyResolution])[]): string[][] {
  const note = resolutions.map(([label, r]) => resolutionText(label, r)).join(' ');
  return GEOGRAPHY_GROUPS.map((g) => [
    g.id,
    `Group type ${g.id}`,
    'group type',
    'Monthly/Quarterly/Annual',
    `Referrals grouped by ${g.what}: its sub-ICB location (OrgIDComm) → that sub-ICB's ICB → the ICB's region, from the organisation reference data. ` +
      `A referral whose ${g.id === 'ICB' ? 'ICB' : 'region'} cannot be resolved (no reference data, or a commissioner code unknown to it) is published under ${UNKNOWN_GEOGRAPHY} (code and name), as NHS England does. ` +
      'The England, provider and sub-ICB figures do not depend on it; a sub-ICB row of the quarterly files names its ICB beside it, InvalidCode / Unknown when that is unresolved.',
    `coalesce(${g.column} derived by iapt process --reference, the look-up of upper(trim(OrgIDComm)) in the reference data given to iapt publish --reference, ${literal(UNKNOWN_GEOGRAPHY)})`,
    note,
  ]);
}

/** The metadata file: one row per published measure, then one per commissioner group type (`resolutions`: per period label). */
export function metadataFile(definitions: readonly MeasureDefinition[], resolutions: readonly (readonly [string, GeographyResolution])[] = []): string {
  let text = csvLine(METADATA_HEADER);
  for (const m of definitions) {
    const { description, construction } = describe(m);
    text += csvLine([m.id, m.name, m.statistic, m.frequency, description, construction.replace(/\s+/g, ' '), m.note ?? '']);
  }
  if (resolutions.length > 0) for (const row of geographyRows(resolutions)) text += csvLine(row);
  return text;
}
