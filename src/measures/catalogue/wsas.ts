// Work and Social Adjustment Scale scores and sick pay of finishers (metadata_measures_monthly M212–M237).
// WSAS scores are derived from clinical appointments only (employment support excluded), as the NHS requires.
import { eq } from '../../core/sql.js';
import { codeOf } from '../../dataset/codes.js';
import { type Gap, type MeasureDefinition, finishers } from '../definition.js';

/** The five WSAS dimensions: derived score prefix, published abbreviation and the first of their five ids. */
const WSAS_DIMENSIONS = [
  { key: 'WASAS_Work', abbreviation: 'W', firstId: 212 },
  { key: 'WASAS_HomeManagement', abbreviation: 'HM', firstId: 217 },
  { key: 'WASAS_SocialLeisureActivities', abbreviation: 'SLA', firstId: 222 },
  { key: 'WASAS_PrivateLeisureActivities', abbreviation: 'PLA', firstId: 227 },
  { key: 'WASAS_Relationships', abbreviation: 'R', firstId: 232 },
] as const;

// Per dimension: finishers with paired scores (a last score is derived only from two or more), then the mean
// and median of their first and of their last scores.
const dimensionMeasures = ({ key, abbreviation, firstId }: (typeof WSAS_DIMENSIONS)[number]): MeasureDefinition[] => {
  const paired = finishers(`${key}_LastScore IS NOT NULL`);
  const id = (offset: number) => `M${firstId + offset}`;
  return [
    { id: id(0), name: `Count_WSAS${abbreviation}PairedScores`, frequency: 'Monthly', statistic: 'count', ...paired },
    { id: id(1), name: `Mean_FirstWSAS${abbreviation}`, frequency: 'Monthly', statistic: 'mean', of: `${key}_FirstScore`, ...paired },
    { id: id(2), name: `Median_FirstWSAS${abbreviation}`, frequency: 'Monthly', statistic: 'median', of: `${key}_FirstScore`, ...paired },
    { id: id(3), name: `Mean_LastWSAS${abbreviation}`, frequency: 'Monthly', statistic: 'mean', of: `${key}_LastScore`, ...paired },
    { id: id(4), name: `Median_LastWSAS${abbreviation}`, frequency: 'Monthly', statistic: 'median', of: `${key}_LastScore`, ...paired },
  ];
};

export const WSAS: readonly MeasureDefinition[] = [
  ...WSAS_DIMENSIONS.flatMap(dimensionMeasures),
  { id: 'M237', name: 'Count_OffSickPay', frequency: 'Monthly', statistic: 'count', ...finishers(`${eq('SickpayIndicator_First', codeOf('YesNoUnknown', 'Yes'))} AND ${eq('SickpayIndicator_Last', codeOf('YesNoUnknown', 'No'))}`) },
];

export const WSAS_GAPS: readonly Gap[] = [];
