// The measures metadata file that accompanies a publication: what each published measure is and how it is
// built, generated from the definitions themselves.
import type { Cohort, MeasureDefinition, Term, Unit } from '../definition.js';
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

export function metadataFile(definitions: readonly MeasureDefinition[]): string {
  let text = csvLine(METADATA_HEADER);
  for (const m of definitions) {
    const { description, construction } = describe(m);
    text += csvLine([m.id, m.name, m.statistic, m.frequency, description, construction.replace(/\s+/g, ' '), m.note ?? '']);
  }
  return text;
}
