// Waits (metadata_measures_monthly M019–M055 less the counts in activity.ts, M121–M126): referral to first
// assessment and first treatment, first to second treatment, waiting lists and open referrals at the period end.
import { ENDED, FIRST_TREATMENT, RECEIVED, SECOND_TREATMENT, WAIT, and, days, type Gap, type MeasureDefinition, finishers } from '../definition.js';

const within = (x: string, from: number, to: number) => `${x} BETWEEN ${from} AND ${to}`;

// Snapshots at the period end: the NHS "ServDischDate is null" (and "first date is null") means not yet by the
// period end, written so that an event dated after $end in the table still counts as not yet happened.
const notYet = (date: string) => `(${date} IS NULL OR ${date} > $end)`;
const OPEN_AT_END = and(`${RECEIVED} <= $end`, `(ServDischDate IS NULL OR ${ENDED} > $end)`);
const SNAPSHOT_NOTE = 'Snapshot at the period end: open (received by, not discharged by the period end)';
const waitingForAssessment = (band?: string) => ({ where: and(OPEN_AT_END, notYet('Assessment_FirstDate'), band), note: `${SNAPSHOT_NOTE}, not assessed by then.` });
const waitingForTreatment = (band?: string) => ({ where: and(OPEN_AT_END, notYet(FIRST_TREATMENT), band), note: `${SNAPSHOT_NOTE}, not treated by then.` });
/** Days from referral to the period end. */
const WAITED = days(RECEIVED, '$end');
/** Days from the last treatment appointment to the period end (null without one, so in no band). */
const INACTIVE = days('TherapySession_LastDate', '$end');

const ASSESSMENT_WAIT = days(RECEIVED, 'Assessment_FirstDate');
const assessed = (where: string) => ({ date: 'Assessment_FirstDate', where });
const accessed = (where: string) => ({ date: FIRST_TREATMENT, where });
const SECOND_WAIT = days(FIRST_TREATMENT, SECOND_TREATMENT);
const secondTreated = (where: string) => ({ date: SECOND_TREATMENT, where });

const NO_ACTIVITY_NOTE = 'Referrals never treated have no TherapySession_LastDate and so fall in no band, as in the NHS construction.';
const TYPO_29_TO_90 = 'The NHS construction reads "29 <= x >= 90"; implemented as 29 <= x <= 90, as the name says.';

export const WAITS: readonly MeasureDefinition[] = [
  { id: 'M019', name: 'Count_OpenReferralNoActivity60days', frequency: 'Monthly', statistic: 'count', where: and(OPEN_AT_END, `${INACTIVE} <= 60`), note: NO_ACTIVITY_NOTE },
  { id: 'M020', name: 'Count_OpenReferralNoActivity61to90days', frequency: 'Monthly', statistic: 'count', where: and(OPEN_AT_END, within(INACTIVE, 61, 90)), note: NO_ACTIVITY_NOTE },
  { id: 'M021', name: 'Count_OpenReferralNoActivity91to120days', frequency: 'Monthly', statistic: 'count', where: and(OPEN_AT_END, within(INACTIVE, 91, 120)), note: NO_ACTIVITY_NOTE },
  { id: 'M022', name: 'Count_OpenReferralNoActivityOver120days', frequency: 'Monthly', statistic: 'count', where: and(OPEN_AT_END, `${INACTIVE} > 120`), note: NO_ACTIVITY_NOTE },

  { id: 'M024', name: 'Count_FirstAssessment28days', frequency: 'Monthly', statistic: 'count', ...assessed(`${ASSESSMENT_WAIT} < 29`) },
  { id: 'M025', name: 'Count_FirstAssessment29to56days', frequency: 'Monthly', statistic: 'count', ...assessed(within(ASSESSMENT_WAIT, 29, 56)) },
  { id: 'M026', name: 'Count_FirstAssessment57to90days', frequency: 'Monthly', statistic: 'count', ...assessed(within(ASSESSMENT_WAIT, 57, 90)) },
  { id: 'M027', name: 'Count_FirstAssessmentOver90days', frequency: 'Monthly', statistic: 'count', ...assessed(`${ASSESSMENT_WAIT} > 90`) },
  { id: 'M029', name: 'Count_WaitingForAssessment', frequency: 'Monthly', statistic: 'count', ...waitingForAssessment() },
  { id: 'M030', name: 'Count_WaitingForAssessmentOver90days', frequency: 'Monthly', statistic: 'count', ...waitingForAssessment(`${WAITED} > 90`) },

  { id: 'M032', name: 'Count_AccessingServices28days', frequency: 'Monthly', statistic: 'count', ...accessed(`${WAIT} < 29`) },
  { id: 'M033', name: 'Count_AccessingServices29to56days', frequency: 'Monthly', statistic: 'count', ...accessed(within(WAIT, 29, 56)) },
  { id: 'M034', name: 'Count_AccessingServices57to90days', frequency: 'Monthly', statistic: 'count', ...accessed(within(WAIT, 57, 90)) },
  { id: 'M035', name: 'Count_AccessingServicesOver90days', frequency: 'Monthly', statistic: 'count', ...accessed(`${WAIT} > 90`) },

  { id: 'M038', name: 'Count_WaitingForTreatment', frequency: 'Monthly', statistic: 'count', ...waitingForTreatment() },
  { id: 'M039', name: 'Count_WaitingForTreatment0to2weeks', frequency: 'Monthly', statistic: 'count', ...waitingForTreatment(`${WAITED} <= 14`) },
  { id: 'M040', name: 'Count_WaitingForTreatment0to4weeks', frequency: 'Monthly', statistic: 'count', ...waitingForTreatment(`${WAITED} <= 28`) },
  { id: 'M041', name: 'Count_WaitingForTreatment0to6weeks', frequency: 'Monthly', statistic: 'count', ...waitingForTreatment(`${WAITED} <= 42`) },
  { id: 'M042', name: 'Count_WaitingForTreatment0to12weeks', frequency: 'Monthly', statistic: 'count', ...waitingForTreatment(`${WAITED} <= 84`) },
  { id: 'M043', name: 'Count_WaitingForTreatment0to18weeks', frequency: 'Monthly', statistic: 'count', ...waitingForTreatment(`${WAITED} <= 126`) },
  { id: 'M044', name: 'Count_WaitingForTreatmentOver18weeks', frequency: 'Monthly', statistic: 'count', ...waitingForTreatment(`${WAITED} > 126`) },
  { id: 'M045', name: 'Count_WaitingForTreatmentOver90days', frequency: 'Monthly', statistic: 'count', ...waitingForTreatment(`${WAITED} > 90`) },

  { id: 'M046', name: 'Count_FirstToSecondTreatmentOver28days', frequency: 'Monthly/Quarterly', statistic: 'count', ...secondTreated(`${SECOND_WAIT} > 28`) },
  { id: 'M047', name: 'Count_FirstToSecondTreatmentOver90days', frequency: 'Monthly/Quarterly', statistic: 'count', ...secondTreated(`${SECOND_WAIT} > 90`) },
  { id: 'M048', name: 'Mean_WaitAccessingServices', frequency: 'Monthly', statistic: 'mean', of: WAIT, date: FIRST_TREATMENT },
  { id: 'M049', name: 'Median_WaitAccessingServices', frequency: 'Monthly/Quarterly', statistic: 'median', of: WAIT, date: FIRST_TREATMENT },
  { id: 'M050', name: 'Mean_WaitFinishedCourseTreatment', frequency: 'Monthly', statistic: 'mean', of: WAIT, ...finishers() },
  { id: 'M051', name: 'Median_WaitFinishedCourseTreatment', frequency: 'Monthly/Quarterly', statistic: 'median', of: WAIT, ...finishers() },
  { id: 'M052', name: 'Count_AccessingServices6WeeksFinishedCourseTreatment', frequency: 'Monthly/Quarterly', statistic: 'count', ...finishers(`${WAIT} <= 42`) },
  { id: 'M053', name: 'Percentage_AccessingServices6WeeksFinishedCourseTreatment', frequency: 'Monthly/Quarterly', statistic: 'percentage', numerator: ['M052'], denominator: ['M076'] },
  { id: 'M054', name: 'Count_AccessingServices18WeeksFinishedCourseTreatment', frequency: 'Monthly/Quarterly', statistic: 'count', ...finishers(`${WAIT} <= 126`) },
  { id: 'M055', name: 'Percentage_AccessingServices18WeeksFinishedCourseTreatment', frequency: 'Monthly/Quarterly', statistic: 'percentage', numerator: ['M054'], denominator: ['M076'] },

  { id: 'M121', name: 'Count_FirstToSecondTreatment28days', frequency: 'Monthly', statistic: 'count', ...secondTreated(`${SECOND_WAIT} < 29`) },
  { id: 'M122', name: 'Count_FirstToSecondTreatment29to90days', frequency: 'Monthly', statistic: 'count', ...secondTreated(within(SECOND_WAIT, 29, 90)), note: TYPO_29_TO_90 },
  { id: 'M123', name: 'Percentage_FirstToSecondTreatment28days', frequency: 'Monthly', statistic: 'percentage', numerator: ['M121'], denominator: ['M184'] },
  { id: 'M124', name: 'Percentage_FirstToSecondTreatmentOver28days', frequency: 'Monthly', statistic: 'percentage', numerator: ['M046'], denominator: ['M184'] },
  {
    id: 'M125',
    name: 'Percentage_FirstToSecondTreatment29to90days',
    frequency: 'Monthly',
    statistic: 'percentage',
    numerator: ['M122'],
    denominator: ['M184'],
    note: `${TYPO_29_TO_90} (The NHS description says "29 to 56 days"; the name and construction say 90.)`,
  },
  { id: 'M126', name: 'Percentage_FirstToSecondTreatmentOver90days', frequency: 'Monthly/Quarterly', statistic: 'percentage', numerator: ['M047'], denominator: ['M184'] },
];

export const WAITS_GAPS: readonly Gap[] = [];
