// Pathway-level derived items on IDS101 (one row per PathwayID), as set-based SQL over the national
// tables of a period (views n101, n201, n202, n205, n603, n606, n607). Each step builds one temporary table
// from the ones before it; derived_ids101 is the last. Definitions: docs/derivations.md.
import { assessmentTypeSql, attendedContactSql, OUTCOME_MEASURES, treatmentTypeSql, type OutcomeMeasure } from '../dataset/index.js';
import { DERIVED_INVALID, DESCRIPTOR_NOT_STATED, YES } from '../dataset/derivation.js';
import type { Db } from '../core/db.js';
import { caseOf, dateLiteral, eq, literal } from '../core/sql.js';
import { outcomeSelect, type DerivationContext } from './outcomes.js';
import { adsmForDescriptor, anxiety, descriptorCase, descriptorNameCase, SCORED_TOOLS, therapyList, THERAPY_TYPES, toolValues, usableAdsms } from './sqlConfig.js';
import { validatedCodeSql } from './record.js';

export type { DerivationContext } from './outcomes.js';

export interface DerivationStep {
  /** The temporary table the step creates. */
  table: string;
  /** Its SELECT. */
  select(ctx: DerivationContext): string;
}

const step = (table: string, select: (ctx: DerivationContext) => string): DerivationStep => ({ table, select });

/** Derived counts that are 0, never NULL, for a referral with nothing to count (so `= 0` tests hold). */
const COUNTS = ['CareContact_Count', 'TreatmentCareContact_Count', ...THERAPY_TYPES.filter((t) => t.intensity !== 'employment').map((t) => t.countColumn), 'EmploymentSupport_Count'];
/** Order of a pathway's visits and scores: date, then time, then record id. */
const ORDER = '(day, time, id)';
const FROM_CONTACT = eq('source', 'IDS201');
const LTC_SERVICE = eq('IAPTLTCServiceInd', YES);

/** The referral's active span: received date to discharge date, or to the period end while open. */
const span = step('span', (ctx) => `SELECT PathwayID, d(ReferralRequestReceivedDate) AS start_day, coalesce(d(ServDischDate), ${dateLiteral(ctx.periodEnd)}) AS end_day FROM n101`);

/** IDS201 contacts, attended and treatment as the NHS defines them (src/dataset/appointments.ts), for derivations and measures alike. */
const contact = step(
  'contact',
  () =>
    `SELECT c.PathwayID, c.Unique_CareContactID, d(c.CareContDate) AS day, c.CareContTime AS time, CAST(c.UniqueID_IDS201 AS BIGINT) AS id, ${literal('IDS201')} AS source, c.AppType, c.PsychMed, c.IAPTLTCServiceInd, ` +
    `coalesce(${attendedContactSql('c')}, false) AS attended, coalesce(d(c.CareContDate) BETWEEN s.start_day AND s.end_day, false) AS in_span, ` +
    `coalesce(${attendedContactSql('c')} AND ${treatmentTypeSql('c')} AND d(c.CareContDate) BETWEEN s.start_day AND s.end_day, false) AS treatment ` +
    `FROM n201 c JOIN span s USING (PathwayID)`,
);

const activity = step(
  'activity',
  () => 'SELECT a.Unique_CareActivityID, a.Unique_CareContactID, a.CodeProcAndProcStatus AS code, c.* EXCLUDE (Unique_CareContactID) FROM n202 a JOIN contact c USING (Unique_CareContactID)',
);

/**
 * Every visit: the IDS201 contacts, and each internet-enabled therapy log entry (IDS205) whose start and end fall
 * within the span, as a treatment session dated by its start. Sources: NHS England metadata M349/M350 date a
 * pathway's treatment stages by "IDS201CareContact.CareContactDate/IDS205InternetTherLog.StartDateIntEnabledTherLog";
 * EA036 counts an IDS205 entry inside the referral's span as an appointment; NHS England's IET dashboard SQL
 * (github.com/nhsengland/Talking-Therapies) classes a pathway as "Only IET" when TreatmentCareContact_Count equals
 * its count of IDS205 entries. docs/derivations.md.
 */
const visit = step(
  'visit',
  () =>
    'SELECT * EXCLUDE (Unique_CareContactID) FROM contact' +
    ` UNION ALL SELECT i.PathwayID, d(i.StartDateIntEnabledTherLog), NULL, CAST(i.UniqueID_IDS205 AS BIGINT), ${literal('IDS205')}, NULL, NULL, NULL, true, true, true FROM n205 i JOIN span s USING (PathwayID) ` +
    `WHERE d(i.StartDateIntEnabledTherLog) BETWEEN s.start_day AND s.end_day AND d(i.EndDateIntEnabledTherLog) BETWEEN s.start_day AND s.end_day`,
);

const contactItems = step(
  'contact_items',
  () =>
    `SELECT PathwayID, ` +
    `count(*) FILTER (WHERE attended AND in_span) AS CareContact_Count, ` +
    `count(*) FILTER (WHERE treatment) AS TreatmentCareContact_Count, ` +
    `min(day) FILTER (WHERE attended AND in_span AND ${assessmentTypeSql()}) AS Assessment_FirstDate, ` +
    `max(day) FILTER (WHERE attended AND in_span AND ${assessmentTypeSql()}) AS Assessment_LastDate, ` +
    `list(day ORDER BY day, time NULLS LAST, id) FILTER (WHERE treatment) AS sessions, ` +
    `arg_min(PsychMed, ${ORDER}) FILTER (WHERE treatment AND ${FROM_CONTACT}) AS PsychotropicIndicator_First, ` +
    `arg_max(PsychMed, ${ORDER}) FILTER (WHERE treatment AND ${FROM_CONTACT}) AS PsychotropicIndicator_Last, ` +
    `min(day) FILTER (WHERE attended AND in_span AND ${LTC_SERVICE}) AS IntegratedContact_FirstDate, ` +
    `min(day) FILTER (WHERE treatment AND ${LTC_SERVICE}) AS IntegratedTreatment_FirstDate ` +
    `FROM visit GROUP BY PathwayID`,
);

const activityItems = step('activity_items', () => {
  const therapyCounts = THERAPY_TYPES.filter((t) => t.intensity !== 'employment').map((t) => `count(DISTINCT Unique_CareContactID) FILTER (WHERE treatment AND ${eq('code', t.snomed)}) AS ${t.countColumn}`);
  const therapies = `${therapyList('low')}, ${therapyList('high')}`;
  return (
    `SELECT PathwayID, ${therapyCounts.join(', ')}, ` +
    `count(DISTINCT Unique_CareContactID) FILTER (WHERE attended AND code IN (${therapyList('employment')})) AS EmploymentSupport_Count, ` +
    `min(day) FILTER (WHERE treatment AND code IN (${therapyList('low')})) AS LowIntensityTherapy_FirstDate, ` +
    `min(day) FILTER (WHERE treatment AND code IN (${therapyList('high')})) AS HighIntensityTherapy_FirstDate, ` +
    `arg_min(code, ${ORDER}) FILTER (WHERE treatment AND code IN (${therapies})) AS TherapyType_First, ` +
    `arg_max(code, ${ORDER}) FILTER (WHERE treatment AND code IN (${therapies})) AS TherapyType_Last, ` +
    `min(day) FILTER (WHERE attended AND code IN (${therapyList('employment')})) AS EmpSupport_FirstDate, ` +
    `max(day) FILTER (WHERE attended AND code IN (${therapyList('employment')})) AS EmpSupport_LastDate ` +
    `FROM activity GROUP BY PathwayID`
  );
});

const ietItems = step('iet_items', () => 'SELECT PathwayID, count(*) AS InternetEnabledTherapy_Count FROM n205 GROUP BY PathwayID');

/** Employment status records of the person dated within the referral's span. */
const employmentItems = step(
  'employment_items',
  () =>
    `SELECT r.PathwayID, count(*) AS Count_EmploymentStatuses, count(*) FILTER (WHERE filled(e.SSPInd)) AS Count_StatutorySickpayIndicators, ` +
    `arg_min(e.SSPInd, (d(e.EmployStatusRecDate), e.UniqueID_IDS004)) FILTER (WHERE filled(e.SSPInd)) AS SickpayIndicator_First, ` +
    `arg_max(e.SSPInd, (d(e.EmployStatusRecDate), e.UniqueID_IDS004)) FILTER (WHERE filled(e.SSPInd)) AS SickpayIndicator_Last ` +
    `FROM n101 r JOIN span s USING (PathwayID) JOIN n004 e ON e.Person_ID = r.Person_ID WHERE d(e.EmployStatusRecDate) BETWEEN s.start_day AND s.end_day GROUP BY r.PathwayID`,
);

/** The scored tools with their valid range; wsas marks the Work and Social Adjustment Scale. */
const tool = step(
  'tool',
  () => `SELECT CAST(snomed AS VARCHAR) AS snomed, CAST(key AS VARCHAR) AS key, CAST(lo AS DOUBLE) AS lo, CAST(hi AS DOUBLE) AS hi, CAST(wsas AS BOOLEAN) AS wsas FROM (VALUES ${toolValues()}) t(snomed, key, lo, hi, wsas)`,
);

/**
 * Scores: IDS606 dated by their completion date, IDS607 by their contact's date; inside the active span,
 * inside the tool's valid range; WSAS not from employment-support activities.
 */
const score = step(
  'score',
  () =>
    `SELECT x.PathwayID, t.key, try_cast(x.PersScore AS DOUBLE) AS value, x.day, x.time, x.id FROM (` +
    `SELECT PathwayID, CodedAssToolType, PersScore, d(AssToolCompDate) AS day, AssToolCompTime AS time, UniqueID_IDS606 AS id, NULL AS code FROM n606 ` +
    `UNION ALL SELECT s.PathwayID, s.CodedAssToolType, s.PersScore, a.day, a.time, s.UniqueID_IDS607, a.code FROM n607 s JOIN activity a USING (Unique_CareActivityID)) x ` +
    `JOIN tool t ON t.snomed = x.CodedAssToolType JOIN span s ON s.PathwayID = x.PathwayID ` +
    `WHERE x.day BETWEEN s.start_day AND s.end_day AND try_cast(x.PersScore AS DOUBLE) BETWEEN t.lo AND t.hi AND NOT (t.wsas AND coalesce(x.code IN (${therapyList('employment')}), false))`,
);

/** First score, and a last score only when there are at least two. */
const scorePair = step(
  'score_pair',
  () => `SELECT PathwayID, key, arg_min(value, ${ORDER}) AS first, CASE WHEN count(*) >= 2 THEN arg_max(value, ${ORDER}) END AS last FROM score GROUP BY PathwayID, key`,
);

const scoreItems = step('score_items', () => {
  const columns = SCORED_TOOLS.flatMap((t) => [`max(first) FILTER (WHERE ${eq('key', t.key)}) AS ${t.key}_FirstScore`, `max(last) FILTER (WHERE ${eq('key', t.key)}) AS ${t.key}_LastScore`]);
  return `SELECT PathwayID, ${columns.join(', ')} FROM score_pair GROUP BY PathwayID`;
});

/** One problem descriptor per pathway: validated code first, primary before secondary, latest date, highest record id. */
const descriptor = step(
  'descriptor',
  () =>
    `SELECT PathwayID, Validated_PresentingComplaint, ${descriptorCase('Validated_PresentingComplaint')} AS descriptor_id FROM (` +
    `SELECT PathwayID, ${validatedCodeSql('FindSchemeInUse', 'PresComp')} AS Validated_PresentingComplaint, PresCompCodSig, PresCompDate, UniqueID_IDS603 FROM n603) ` +
    `QUALIFY row_number() OVER (PARTITION BY PathwayID ORDER BY (Validated_PresentingComplaint IS NOT NULL AND Validated_PresentingComplaint <> ${literal(DERIVED_INVALID)}) DESC, PresCompCodSig ASC NULLS LAST, d(PresCompDate) DESC NULLS LAST, UniqueID_IDS603 DESC) = 1`,
);

/** IDS101 with every item above joined on, counts 0 rather than NULL, and the ADSM the descriptor calls for. */
const base = step('base', (ctx) => {
  const zeroCounts = COUNTS.map((c) => `coalesce(${c}, 0) AS ${c}`).join(', ');
  const descriptorId = `coalesce(ds.descriptor_id, ${literal(DESCRIPTOR_NOT_STATED)})`;
  return (
    `SELECT * REPLACE (${zeroCounts}) FROM (SELECT r.*, ci.* EXCLUDE (PathwayID, sessions), ai.* EXCLUDE (PathwayID), coalesce(ie.InternetEnabledTherapy_Count, 0) AS InternetEnabledTherapy_Count, ` +
    `coalesce(em.Count_EmploymentStatuses, 0) AS Count_EmploymentStatuses, coalesce(em.Count_StatutorySickpayIndicators, 0) AS Count_StatutorySickpayIndicators, em.SickpayIndicator_First, em.SickpayIndicator_Last, ` +
    `ci.sessions[1] AS TherapySession_FirstDate, ci.sessions[2] AS TherapySession_SecondDate, ci.sessions[-1] AS TherapySession_LastDate, sc.* EXCLUDE (PathwayID), ` +
    `ds.Validated_PresentingComplaint AS PresentingComplaint, ${descriptorNameCase(descriptorId, 'higher')} AS PresentingComplaintHigherCategory, ` +
    `${descriptorNameCase(descriptorId, 'name')} AS PresentingComplaintLowerCategory, ${adsmForDescriptor('ds.descriptor_id', ctx.outcomes)} AS adsm_candidate ` +
    `FROM n101 r LEFT JOIN contact_items ci USING (PathwayID) LEFT JOIN activity_items ai USING (PathwayID) LEFT JOIN iet_items ie USING (PathwayID) LEFT JOIN employment_items em USING (PathwayID) ` +
    `LEFT JOIN score_items sc USING (PathwayID) LEFT JOIN descriptor ds USING (PathwayID))`
  );
});

/**
 * The anxiety measure (`ADSM`, with `ADSM_FirstScore` / `ADSM_LastScore`), one rule for derivations and measures:
 * the ADSM of the problem descriptor when its scores are paired; else GAD-7 when GAD-7's are (the NHS pairs "the
 * ADSM's last score or GAD-7's", M198); else, unpaired, the ADSM when it has a first score, else GAD-7.
 */
const withAnxiety = step('with_anxiety', (ctx) => {
  const adsms = usableAdsms(ctx.outcomes);
  const scoreOf = (which: 'First' | 'Last') => caseOf('adsm_candidate', adsms.map((m): [string, string] => [m.key, `${m.toolKey}_${which}Score`]), adsms.length ? 'NULL' : 'CAST(NULL AS DOUBLE)');
  const gad = literal(anxiety(ctx.outcomes).key);
  return (
    `SELECT *, CASE ADSM WHEN ${gad} THEN GAD_FirstScore ELSE adsm_first END AS ADSM_FirstScore, CASE ADSM WHEN ${gad} THEN GAD_LastScore ELSE adsm_last END AS ADSM_LastScore FROM (` +
    `SELECT *, CASE WHEN adsm_last IS NOT NULL THEN adsm_candidate WHEN GAD_LastScore IS NOT NULL THEN ${gad} WHEN adsm_first IS NOT NULL THEN adsm_candidate WHEN GAD_FirstScore IS NOT NULL THEN ${gad} END AS ADSM FROM (` +
    `SELECT *, ${scoreOf('First')} AS adsm_first, ${scoreOf('Last')} AS adsm_last FROM base))`
  );
});

/** The outcome items (src/derivation/outcomes.ts) over with_anxiety: the derived IDS101. */
const derivedIds101 = step('derived_ids101', (ctx) => outcomeSelect('with_anxiety', ctx));

/** Every step, in the order they run. */
export const PATHWAY_STEPS: readonly DerivationStep[] = [
  span,
  contact,
  activity,
  visit,
  contactItems,
  activityItems,
  ietItems,
  employmentItems,
  tool,
  score,
  scorePair,
  scoreItems,
  descriptor,
  base,
  withAnxiety,
  derivedIds101,
];

/** The statement a step runs. */
export const stepSql = (s: DerivationStep, ctx: DerivationContext): string => `CREATE OR REPLACE TEMP TABLE ${s.table} AS ${s.select(ctx)}`;

/**
 * Builds table `derived_ids101`: the national IDS101 rows of the period with every pathway derivation.
 * `outcomes` is the outcome configuration table (src/dataset/outcomes.ts); tests pass their own to exercise ADSMs
 * whose thresholds are not configured.
 */
export async function derivePathways(db: Db, periodEnd: string, outcomes: readonly OutcomeMeasure[] = OUTCOME_MEASURES): Promise<void> {
  const ctx: DerivationContext = { periodEnd, outcomes };
  for (const s of PATHWAY_STEPS) await db.run(stepSql(s, ctx));
}
