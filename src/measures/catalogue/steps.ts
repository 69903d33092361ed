// Stepped care (metadata_measures_monthly M347–M367 less M351, which is in sessions.ts): for finishers, the wait
// from assessment to the first low or high intensity treatment, and the wait to step up (low to high) or
// down (high to low), where the treatment falls into 'stages' of the same intensity.
//
// A stage is a run of two or more consecutive sessions of the same intensity. The sessions of a pathway are
// its attended (or unplanned) treatment appointments within its span, one per intensity of their IDS202
// activities (low before high in the same contact; contacts with neither ignored), and its IDS205 log entries
// (high intensity, dated by their start), in date order. One session of the other intensity before the first
// stage is ignored; two or more exclude the pathway (for a step down, also between the two stages).
import { listValue } from '../../core/sql.js';
import { THERAPY_TYPES } from '../../dataset/index.js';
import { CBT_SECOND_CODE } from '../../dataset/measureCodes.js';
import { ATTENDED_CONTACT, FIRST_TREATMENT, TREATMENT_APPOINTMENT, and, days, type Gap, type MeasureDefinition, type ReferralItems, finishers } from '../definition.js';

const intensity = (level: 'low' | 'high', except: readonly string[]) => THERAPY_TYPES.filter((t) => t.intensity === level && !except.includes(t.countColumn)).map((t) => t.snomed);
// The construction's lists differ from our therapy types: no ante/post-natal counselling (low), no
// collaborative care or counselling for depression (high), and a second CBT code.
const LOW = intensity('low', ['AntePostNatalCounselling_Count']);
const HIGH = [...intensity('high', ['CollaborativeCare_Count', 'CounsellingDepression_Count']), CBT_SECOND_CODE];

const LOW_LEVEL = 1;
const HIGH_LEVEL = 2;

// The sessions of every referral (level, day and an order key); a contact is a low and a high intensity session
// when its activities have both.
const has = (codes: readonly string[]) => `list_has_any(Activities, ${listValue(codes)})`;
const contactSessions = (level: number, codes: readonly string[]) =>
  `SELECT PathwayID, ${level} AS level, d(CareContDate) AS day, 0 AS kind, CareContTime AS time, Unique_CareContactID AS id FROM m_contact ` +
  `WHERE ${ATTENDED_CONTACT} AND ${TREATMENT_APPOINTMENT} AND d(CareContDate) BETWEEN d(ReferralRequestReceivedDate) AND d(ServDischDate) AND ${has(codes)}`;
const SESSIONS =
  `${contactSessions(LOW_LEVEL, LOW)} UNION ALL ${contactSessions(HIGH_LEVEL, HIGH)} ` +
  `UNION ALL SELECT PathwayID, ${HIGH_LEVEL}, d(StartDateIntEnabledTherLog), 1, NULL, CAST(UniqueID_IDS205 AS VARCHAR) FROM m_internetLog`;
const IN_ORDER = 'PARTITION BY PathwayID ORDER BY day, kind, time, id, level';
// Runs of consecutive sessions of one level, numbered from 1 within the referral.
const RUNS =
  `SELECT PathwayID, run, any_value(level) AS level, count(*) AS sessions, min(day) AS first_day, max(day) AS last_day FROM (` +
  `SELECT PathwayID, level, day, sum(CASE WHEN level IS DISTINCT FROM previous THEN 1 ELSE 0 END) OVER (${IN_ORDER} ROWS UNBOUNDED PRECEDING) AS run FROM (` +
  `SELECT *, lag(level) OVER (${IN_ORDER}) AS previous FROM (${SESSIONS}))) GROUP BY PathwayID, run`;

/** TreatmentStages: a referral's stages (runs of two or more sessions) in order, each {run, level, first_day, last_day}. */
export const STAGE_ITEMS: ReferralItems = {
  name: 'stages',
  needs: ['contact', 'internetLog'],
  columns: { TreatmentStages: 'STRUCT(run BIGINT, level INTEGER, first_day DATE, last_day DATE)[]' },
  sql:
    `SELECT PathwayID, list({'run': run, 'level': level, 'first_day': first_day, 'last_day': last_day} ORDER BY run) FILTER (WHERE sessions >= 2) AS TreatmentStages ` +
    `FROM (${RUNS}) GROUP BY PathwayID`,
};
const [FIRST, SECOND] = ['TreatmentStages[1]', 'TreatmentStages[2]'];

// At most one session before the first stage (runs are numbered from 1).
const firstStage = (level: number) => `(${FIRST}.level = ${level} AND ${FIRST}.run <= 2)`;
// The step down: first stage high, second low, at most one session before the first and between them.
const STEP_DOWN = `(${and(firstStage(HIGH_LEVEL), `${SECOND}.level = ${LOW_LEVEL}`, `${SECOND}.run - ${FIRST}.run <= 2`)})`;
const STEP_UP = `(${and(firstStage(LOW_LEVEL), `${SECOND}.level = ${HIGH_LEVEL}`)})`;

const LOW_FIRST = 'LowIntensityTherapy_FirstDate';
const HIGH_FIRST = 'HighIntensityTherapy_FirstDate';
/**
 * For a step (its stage condition), days from the last session of the first stage to the first treatment of
 * the other intensity: the first day of the second stage when the other intensity's first date comes before
 * this one's ([a]), else that first date ([b]). The construction subtracts the other way round.
 */
const stepWait = (step: string, otherFirst: string, thisFirst: string) =>
  `CASE WHEN ${step} AND ${otherFirst} < ${thisFirst} THEN ${days(`${FIRST}.last_day`, `${SECOND}.first_day`)} ` +
  `WHEN ${step} AND ${thisFirst} < ${otherFirst} THEN ${days(`${FIRST}.last_day`, otherFirst)} END`;
const STEP_DOWN_WAIT = stepWait(STEP_DOWN, LOW_FIRST, HIGH_FIRST);
const STEP_UP_WAIT = stepWait(STEP_UP, HIGH_FIRST, LOW_FIRST);
const HIGH_WAIT = days('Assessment_FirstDate', 'HighIntensityTherapy_FirstDate');
const LOW_WAIT = days('Assessment_FirstDate', 'LowIntensityTherapy_FirstDate');
const FIRST_HIGH = firstStage(HIGH_LEVEL);
const FIRST_LOW = firstStage(LOW_LEVEL);

/** Finishers in the period with a treatment, assessed no later than their first treatment. */
const cohort = (...where: string[]) => finishers('TreatmentCareContact_Count > 0', `Assessment_FirstDate <= ${FIRST_TREATMENT}`, ...where);
const DERIVED_NOTE =
  'Stages use the construction\'s therapy lists; the first dates are the derived ones (attended treatment appointments with our therapy types: counselling for depression and collaborative care are high intensity there, internet-enabled therapy is not, so a referral whose high intensity is all internet-enabled has no wait).';
const STEP_NOTE = `${DERIVED_NOTE} The wait is the later date minus the earlier (the construction subtracts the first date of the second stage from the last of the first).`;
const STEP_UP_NOTE = `${STEP_NOTE} Sessions between the two stages do not exclude a step up: the construction has that rule for the step down (M349) only.`;

const count = (id: string, name: string, where: readonly string[], note = DERIVED_NOTE): MeasureDefinition => ({ id, name, frequency: 'Monthly', statistic: 'count', ...cohort(...where), note });
const percentage = (id: string, name: string, numerator: string, denominator: string): MeasureDefinition => ({ id, name, frequency: 'Monthly', statistic: 'percentage', numerator: [numerator], denominator: [denominator] });

export const STEPS: readonly MeasureDefinition[] = [
  { id: 'M347', name: 'Mean_Wait_AssessmentDate_HighIntensityFirstDate', frequency: 'Monthly', statistic: 'mean', of: HIGH_WAIT, ...cohort(FIRST_HIGH), note: DERIVED_NOTE },
  { id: 'M348', name: 'Mean_Wait_AssessmentDate_LowIntensityFirstDate', frequency: 'Monthly', statistic: 'mean', of: LOW_WAIT, ...cohort(FIRST_LOW), note: DERIVED_NOTE },
  { id: 'M349', name: 'Mean_Wait_StepDown_LastHighIntensity_FirstLowIntensity', frequency: 'Monthly', statistic: 'mean', of: STEP_DOWN_WAIT, ...cohort(), note: STEP_NOTE },
  { id: 'M350', name: 'Mean_Wait_StepUp_LastLowIntensity_FirstHighIntensity', frequency: 'Monthly', statistic: 'mean', of: STEP_UP_WAIT, ...cohort(), note: STEP_UP_NOTE },

  count('M352', 'Count_AssessmentDate_HighIntensityFirstDate', [FIRST_HIGH]),
  count('M353', 'Count_AssessmentDate_LowIntensityFirstDate', [FIRST_LOW]),
  count('M354', 'Count_StepDown_LastHighIntensity_FirstLowIntensity', [STEP_DOWN], STEP_NOTE),
  count('M355', 'Count_StepUp_LastLowIntensity_FirstHighIntensity', [STEP_UP], STEP_UP_NOTE),

  count('M356', 'Count_AssessmentDate_HighIntensityFirstDate28days', [FIRST_HIGH, `${HIGH_WAIT} <= 28`]),
  count('M357', 'Count_AssessmentDate_LowIntensityFirstDate28days', [FIRST_LOW, `${LOW_WAIT} <= 28`]),
  count('M358', 'Count_AssessmentDate_HighIntensityFirstDate90days', [FIRST_HIGH, `${HIGH_WAIT} <= 90`]),
  count('M359', 'Count_AssessmentDate_LowIntensityFirstDate90days', [FIRST_LOW, `${LOW_WAIT} <= 90`]),
  count('M360', 'Count_StepUp_LastLowIntensity_FirstHighIntensity28days', [`${STEP_UP_WAIT} <= 28`], STEP_UP_NOTE),
  count('M361', 'Count_StepUp_LastLowIntensity_FirstHighIntensity90days', [`${STEP_UP_WAIT} <= 90`], STEP_UP_NOTE),

  percentage('M362', 'Percentage_AssessmentDate_HighIntensityFirstDate28days', 'M356', 'M352'),
  percentage('M363', 'Percentage_AssessmentDate_LowIntensityFirstDate28days', 'M357', 'M353'),
  percentage('M364', 'Percentage_AssessmentDate_HighIntensityFirstDate90days', 'M358', 'M352'),
  percentage('M365', 'Percentage_AssessmentDate_LowIntensityFirstDate90days', 'M359', 'M353'),
  percentage('M366', 'Percentage_StepUp_LastLowIntensity_FirstHighIntensity28days', 'M360', 'M355'),
  percentage('M367', 'Percentage_StepUp_LastLowIntensity_FirstHighIntensity90days', 'M361', 'M355'),
];

export const STEPS_GAPS: readonly Gap[] = [];
