// Integrated (long-term condition) services (metadata_measures_monthly, measure_type LTC: M271–M286): first
// integrated contacts and treatments, and the standard outcomes of finishers with and without an attended
// integrated contact. The PPS outcome measures (M279–M282) are not in the published metadata.
import { type Gap, type MeasureDefinition, finishers } from '../definition.js';

const INTEGRATED = 'IntegratedContact_FirstDate IS NOT NULL';
const CORE_ONLY = 'IntegratedContact_FirstDate IS NULL';
const count = (id: string, name: string, ...where: string[]): MeasureDefinition => ({ id, name, frequency: 'Monthly', statistic: 'count', ...finishers(...where) });

export const LTC: readonly MeasureDefinition[] = [
  { id: 'M271', name: 'Count_FirstIntegratedContact', frequency: 'Monthly', statistic: 'count', date: 'IntegratedContact_FirstDate' },
  { id: 'M272', name: 'Count_FirstIntegratedTreatment', frequency: 'Monthly', statistic: 'count', date: 'IntegratedTreatment_FirstDate' },

  count('M273', 'Count_FinishedIntegratedReferrals', INTEGRATED),
  count('M275', 'Count_IntegratedReferralsAtCaseness', INTEGRATED, 'Caseness_Flag'),
  count('M276', 'Count_IntegratedReferralsNotAtCaseness', INTEGRATED, 'NotCaseness_Flag'),
  count('M277', 'Count_IntegratedReferralsRecovered', INTEGRATED, 'Recovery_Flag'),
  { id: 'M278', name: 'Percentage_IntegratedReferralsRecovered', frequency: 'Monthly', statistic: 'percentage', numerator: ['M277'], denominator: ['M273', '-M276'] },

  count('M274', 'Count_FinishedIntegratedReferralsCoreOnly', CORE_ONLY),
  count('M283', 'Count_IntegratedReferralsCoreOnlyAtCaseness', CORE_ONLY, 'Caseness_Flag'),
  count('M284', 'Count_IntegratedReferralsCoreOnlyNotAtCaseness', CORE_ONLY, 'NotCaseness_Flag'),
  count('M285', 'Count_IntegratedReferralsCoreOnlyRecovered', CORE_ONLY, 'Recovery_Flag'),
  { id: 'M286', name: 'Percentage_IntegratedReferralsCoreOnlyRecovered', frequency: 'Monthly', statistic: 'percentage', numerator: ['M285'], denominator: ['M274', '-M284'] },
];

export const LTC_GAPS: readonly Gap[] = [];
