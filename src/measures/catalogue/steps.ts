// Stepped care (metadata_measures_monthly M347–M367 less M351, which is in sessions.ts): for finishers, the wait
// from assessment to the first low or high intensity treatment, and the wait to step up (low to high) or
// down (high to low), where the treatment falls into 'stages' of the same intensity.
//
// A stage is a run of two or more consecutive sessions of the same intensity. The sessions of a pathway are
// its attended (or unplanned) treatment appointments within its span, one per intensity of their IDS202
// activities (low before high in the same contact; contacts with neither ignored), and its IDS205 log entries
// (high intensity, dated by their start), in date order. One session of the other intensity before the first
// stage is ignored; two or more exclude the pathway (for a step down, also between the two stages).
import { THERAPY_TYPES } from '../../dataset/index.js';
import { ATTENDED_CONTACT, FIRST_TREATMENT, TREATMENT_APPOINTMENT, and, days, sqlList, type Gap, type MeasureDefinition, finishers } from '../definition.js';
import { CBT_SECOND_CODE } from './appointments.js';

const intensity = (level: 'low' | 'high', except: readonly string[]) => THERAPY_TYPES.filter((t) => t.intensity === level && !except.includes(t.countColumn)).map((t) => t.snomed);
// The construction's lists differ from our therapy types: no ante/post-natal counselling (low), no
// collaborative care or counselling for depression (high), and a second CBT code.
const LOW = intensity('low', ['AntePostNatalCounselling_Count']);
const HIGH = [...intensity('high', ['CollaborativeCare_Count', 'CounsellingDepression_Count']), CBT_SECOND_CODE];

const LOW_LEVEL = 1;
const HIGH_LEVEL = 2;

// One row per session of the referral `src`: level, day, and an order key. A contact is a low and a high
// intensity session when its activities have both.
const has = (codes: readonly string[]) => `list_has_any(c.Activities, [${sqlList(codes)}])`;
const contactSessions = (level: number, codes: readonly string[]) =>
  `SELECT ${level} AS level, d(c.CareContDate) AS day, 0 AS kind, c.CareContTime AS time, c.Unique_CareContactID AS id FROM m_contact c ` +
  `WHERE c.PathwayID = src.PathwayID AND ${ATTENDED_CONTACT} AND ${TREATMENT_APPOINTMENT} AND d(c.CareContDate) BETWEEN d(c.ReferralRequestReceivedDate) AND d(c.ServDischDate) AND ${has(codes)}`;
const CONTACT_SESSIONS = `${contactSessions(LOW_LEVEL, LOW)} UNION ALL ${contactSessions(HIGH_LEVEL, HIGH)}`;
const SESSIONS = `${CONTACT_SESSIONS} UNION ALL SELECT ${HIGH_LEVEL}, d(l.StartDateIntEnabledTherLog), 1, NULL, CAST(l.UniqueID_IDS205 AS VARCHAR) FROM m_internetLog l WHERE l.PathwayID = src.PathwayID`;
const ORDER = 'day, kind, time, id, level';
// Runs of consecutive sessions of one level, numbered from 1.
const RUNS =
  `SELECT run, any_value(level) AS level, count(*) AS sessions, min(day) AS first_day, max(day) AS last_day FROM (` +
  `SELECT level, day, sum(CASE WHEN level IS DISTINCT FROM previous THEN 1 ELSE 0 END) OVER (ORDER BY ${ORDER} ROWS UNBOUNDED PRECEDING) AS run FROM (` +
  `SELECT *, lag(level) OVER (ORDER BY ${ORDER}) AS previous FROM (${SESSIONS}))) GROUP BY run`;
// The first two stages (runs of two or more sessions), each {run, level, first_day, last_day}.
const STAGES = `SELECT list({'run': run, 'level': level, 'first_day': first_day, 'last_day': last_day} ORDER BY run) FILTER (WHERE sessions >= 2) AS stages FROM (${RUNS})`;

/** An expression over the referral's stages (`stages[1]`, `stages[2]`), as a correlated subquery. */
const overStages = (expression: string) => `(SELECT ${expression} FROM (${STAGES}))`;

// At most one session before the first stage (runs are numbered from 1).
const firstStage = (level: number) => `stages[1].level = ${level} AND stages[1].run <= 2`;
// The step down: first stage high, second low, at most one session before the first and between them.
const STEP_DOWN = and(firstStage(HIGH_LEVEL), `stages[2].level = ${LOW_LEVEL}`, 'stages[2].run - stages[1].run <= 2');
const STEP_UP = and(firstStage(LOW_LEVEL), `stages[2].level = ${HIGH_LEVEL}`);

const LOW_FIRST = 'src.LowIntensityTherapy_FirstDate';
const HIGH_FIRST = 'src.HighIntensityTherapy_FirstDate';
/**
 * For a step (its stage condition), days from the last session of the first stage to the first treatment of
 * the other intensity: the first day of the second stage when the other intensity's first date comes before
 * this one's ([a]), else that first date ([b]). The construction subtracts the other way round.
 * (The subqueries refer to no column of the referral but PathwayID: DuckDB 1.5.6 fails with an internal error,
 * unordered_map::at, when such a subquery also refers to two more of its columns.)
 */
const stepWait = (step: string, otherFirst: string, thisFirst: string) =>
  `CASE WHEN ${otherFirst} < ${thisFirst} THEN ${overStages(`CASE WHEN ${step} THEN ${days('stages[1].last_day', 'stages[2].first_day')} END`)} ` +
  `WHEN ${thisFirst} < ${otherFirst} THEN ${days(overStages(`CASE WHEN ${step} THEN stages[1].last_day END`), otherFirst)} END`;
const STEP_DOWN_WAIT = stepWait(STEP_DOWN, LOW_FIRST, HIGH_FIRST);
const STEP_UP_WAIT = stepWait(STEP_UP, HIGH_FIRST, LOW_FIRST);
const HIGH_WAIT = days('Assessment_FirstDate', 'HighIntensityTherapy_FirstDate');
const LOW_WAIT = days('Assessment_FirstDate', 'LowIntensityTherapy_FirstDate');
const FIRST_HIGH = overStages(firstStage(HIGH_LEVEL));
const FIRST_LOW = overStages(firstStage(LOW_LEVEL));

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
  count('M354', 'Count_StepDown_LastHighIntensity_FirstLowIntensity', [overStages(STEP_DOWN)], STEP_NOTE),
  count('M355', 'Count_StepUp_LastLowIntensity_FirstHighIntensity', [overStages(STEP_UP)], STEP_UP_NOTE),

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
