// Treatment appointments of finishers (metadata_measures_monthly M089, M112–M120, M142–M144, M351): totals,
// means per therapy type, spread, and days between sessions. M141 (the mean) is in activity.ts.
import { THERAPY_TYPES } from '../../dataset/index.js';
import { FIRST_TREATMENT, days, type Gap, type MeasureDefinition, finishers } from '../definition.js';

const APPOINTMENTS = 'TreatmentCareContact_Count';
// A pathway without care activities has no therapy counts (null): count it as 0 in a sum.
const total = (terms: readonly string[]): string => `(${terms.map((t) => `coalesce(${t}, 0)`).join(' + ')})`;

// The NHS Other high intensity count includes internet-enabled therapy (IDS205 log entries, M108); ours
// counts care contacts only, so the pathway's internet-enabled therapy count is added.
const OTHER_HIGH = total(['OtherHighIntensity_Count', 'InternetEnabledTherapy_Count']);
const OTHER_HIGH_NOTE = 'Other high intensity includes internet-enabled therapy, as the construction notes: OtherHighIntensity_Count + InternetEnabledTherapy_Count.';
const HIGH = total(THERAPY_TYPES.filter((t) => t.intensity === 'high').map((t) => (t.countColumn === 'OtherHighIntensity_Count' ? OTHER_HIGH : t.countColumn)));
// The construction's eight low intensity counts: ours also has ante/post-natal counselling, which it leaves out.
const LOW = total(THERAPY_TYPES.filter((t) => t.intensity === 'low' && t.countColumn !== 'AntePostNatalCounselling_Count').map((t) => t.countColumn));

const meanOf = (id: string, name: string, count: string, note?: string): MeasureDefinition => ({
  id,
  name,
  frequency: 'Monthly',
  ...(note ? { note } : {}),
  statistic: 'mean',
  of: count,
  ...finishers(`${count} > 0`),
});

export const SESSIONS: readonly MeasureDefinition[] = [
  { id: 'M089', name: 'Count_ApptsFinishedCourseTreatment', frequency: 'Monthly', statistic: 'sum', of: APPOINTMENTS, ...finishers() },
  meanOf('M112', 'Mean_HISessions', HIGH, OTHER_HIGH_NOTE),
  meanOf('M113', 'Mean_CBTSessions', 'CognitiveBehaviourTherapy_Count', 'The construction\'s bare "and CognitiveBehaviourTherapy_Count" is read as > 0, as in the other therapy means.'),
  meanOf('M114', 'Mean_BPDSessions', 'BriefPsychodynamicPsychotherapy_Count'),
  meanOf('M115', 'Mean_CounsellingSessions', 'CounsellingDepression_Count'),
  meanOf('M116', 'Mean_IPTSession', 'InterpersonalPsychotherapy_Count'),
  meanOf('M117', 'Mean_CouplesSessions', 'CouplesTherapyDepression_Count'),
  meanOf('M119', 'Mean_OtherHISessions', OTHER_HIGH, OTHER_HIGH_NOTE),
  meanOf('M120', 'Mean_LiSessions', LOW, 'The eight low intensity counts of the construction; ante/post-natal counselling, low intensity in our therapy list, is not among them.'),
  { id: 'M142', name: 'Median_ApptsFinishedCourseTreatment', frequency: 'Monthly', statistic: 'median', of: APPOINTMENTS, ...finishers() },
  { id: 'M143', name: 'Max_ApptsFinishedCourseTreatment', frequency: 'Monthly', statistic: 'max', of: APPOINTMENTS, ...finishers() },
  { id: 'M144', name: 'Min_ApptsFinishedCourseTreatment', frequency: 'Monthly', statistic: 'min', of: APPOINTMENTS, ...finishers() },
  {
    id: 'M351',
    name: 'Mean_DaysWaitedBetweenTreatments',
    frequency: 'Monthly',
    statistic: 'ratio',
    of: days(FIRST_TREATMENT, 'TherapySession_LastDate'),
    per: `${APPOINTMENTS} - 1`,
    ...finishers(`${APPOINTMENTS} > 1`),
  },
];

export const SESSIONS_GAPS: readonly Gap[] = [];
