// Pathway-level derived items on IDS101 (one row per PathwayID), as set-based SQL over the national
// tables of a period (views n101, n201, n202, n205, n603, n606, n607). Definitions: docs/derivations.md.
import { APPOINTMENT_TYPES, ATTENDED_CODES } from '../dataset/index.js';
import type { Db } from '../intake/duckdb.js';
import {
  adsmForDescriptor,
  anxietyCaseness,
  anxietyReliableChange,
  descriptorCase,
  descriptorNameCase,
  lit,
  phq9,
  phq9Caseness,
  SCORED_TOOLS,
  therapyList,
  THERAPY_TYPES,
  toolValues,
} from './sqlConfig.js';
import { validatedCodeSql } from './record.js';

const inList = (codes: readonly string[]): string => `(${codes.map(lit).join(', ')})`;
const ATTENDED = `AttendOrDNACode IN ${inList(ATTENDED_CODES)}`;
const TREATMENT_TYPES = inList(APPOINTMENT_TYPES.treatment);
const ASSESSMENT_TYPES = inList(APPOINTMENT_TYPES.assessment);

/** Builds table `derived_ids101`: the national IDS101 rows of the period with every pathway derivation. */
export async function derivePathways(db: Db, periodEnd: string): Promise<void> {
  const end = `DATE ${lit(periodEnd)}`;
  // The referral's active span: received date to discharge date, or to the period end while open.
  await db.run(`CREATE OR REPLACE TEMP TABLE span AS SELECT PathwayID, d(ReferralRequestReceivedDate) AS start_day, coalesce(d(ServDischDate), ${end}) AS end_day FROM n101`);
  await db.run(
    `CREATE OR REPLACE TEMP TABLE contact AS SELECT c.PathwayID, c.Unique_CareContactID, d(c.CareContDate) AS day, c.CareContTime AS time, c.UniqueID_IDS201 AS id, c.AppType, c.PsychMed, c.IAPTLTCServiceInd, ` +
      `c.${ATTENDED} AS attended, d(c.CareContDate) BETWEEN s.start_day AND s.end_day AS in_span, ` +
      `c.${ATTENDED} AND c.AppType IN ${TREATMENT_TYPES} AND d(c.CareContDate) BETWEEN s.start_day AND s.end_day AS treatment ` +
      `FROM n201 c JOIN span s USING (PathwayID)`,
  );
  await db.run(`CREATE OR REPLACE TEMP TABLE activity AS SELECT a.Unique_CareActivityID, a.Unique_CareContactID, a.CodeProcAndProcStatus AS code, c.* EXCLUDE (Unique_CareContactID) FROM n202 a JOIN contact c USING (Unique_CareContactID)`);

  const order = '(day, time, id)';
  await db.run(
    `CREATE OR REPLACE TEMP TABLE contact_items AS SELECT PathwayID, ` +
      `count(*) FILTER (WHERE attended AND in_span) AS CareContact_Count, ` +
      `count(*) FILTER (WHERE treatment) AS TreatmentCareContact_Count, ` +
      `min(day) FILTER (WHERE attended AND in_span AND AppType IN ${ASSESSMENT_TYPES}) AS Assessment_FirstDate, ` +
      `max(day) FILTER (WHERE attended AND in_span AND AppType IN ${ASSESSMENT_TYPES}) AS Assessment_LastDate, ` +
      `list(day ORDER BY day, time, id) FILTER (WHERE treatment) AS sessions, ` +
      `arg_min(PsychMed, ${order}) FILTER (WHERE treatment) AS PsychotropicIndicator_First, ` +
      `arg_max(PsychMed, ${order}) FILTER (WHERE treatment) AS PsychotropicIndicator_Last, ` +
      `min(day) FILTER (WHERE attended AND in_span AND IAPTLTCServiceInd = 'Y') AS IntegratedContact_FirstDate, ` +
      `min(day) FILTER (WHERE treatment AND IAPTLTCServiceInd = 'Y') AS IntegratedTreatment_FirstDate ` +
      `FROM contact GROUP BY PathwayID`,
  );
  const therapyCounts = THERAPY_TYPES.filter((t) => t.intensity !== 'employment').map((t) => `count(DISTINCT Unique_CareContactID) FILTER (WHERE treatment AND code = ${lit(t.snomed)}) AS ${t.countColumn}`);
  await db.run(
    `CREATE OR REPLACE TEMP TABLE activity_items AS SELECT PathwayID, ${therapyCounts.join(', ')}, ` +
      `count(DISTINCT Unique_CareContactID) FILTER (WHERE attended AND code IN (${therapyList('employment')})) AS EmploymentSupport_Count, ` +
      `min(day) FILTER (WHERE treatment AND code IN (${therapyList('low')})) AS LowIntensityTherapy_FirstDate, ` +
      `min(day) FILTER (WHERE treatment AND code IN (${therapyList('high')})) AS HighIntensityTherapy_FirstDate, ` +
      `arg_min(code, ${order}) FILTER (WHERE treatment AND code IN (${therapyList('low')}, ${therapyList('high')})) AS TherapyType_First, ` +
      `arg_max(code, ${order}) FILTER (WHERE treatment AND code IN (${therapyList('low')}, ${therapyList('high')})) AS TherapyType_Last, ` +
      `min(day) FILTER (WHERE attended AND code IN (${therapyList('employment')})) AS EmpSupport_FirstDate, ` +
      `max(day) FILTER (WHERE attended AND code IN (${therapyList('employment')})) AS EmpSupport_LastDate ` +
      `FROM activity GROUP BY PathwayID`,
  );
  await db.run(`CREATE OR REPLACE TEMP TABLE iet_items AS SELECT PathwayID, count(*) AS InternetEnabledTherapy_Count FROM n205 GROUP BY PathwayID`);
  // Employment status records of the person dated within the referral's span.
  await db.run(
    `CREATE OR REPLACE TEMP TABLE employment_items AS SELECT r.PathwayID, count(*) AS Count_EmploymentStatuses, count(*) FILTER (WHERE filled(e.SSPInd)) AS Count_StatutorySickpayIndicators, ` +
      `arg_min(e.SSPInd, (d(e.EmployStatusRecDate), e.UniqueID_IDS004)) FILTER (WHERE filled(e.SSPInd)) AS SickpayIndicator_First, ` +
      `arg_max(e.SSPInd, (d(e.EmployStatusRecDate), e.UniqueID_IDS004)) FILTER (WHERE filled(e.SSPInd)) AS SickpayIndicator_Last ` +
      `FROM n101 r JOIN span s USING (PathwayID) JOIN n004 e ON e.Person_ID = r.Person_ID WHERE d(e.EmployStatusRecDate) BETWEEN s.start_day AND s.end_day GROUP BY r.PathwayID`,
  );

  // Scores: IDS606 dated by their completion date, IDS607 by their contact's date; inside the active span,
  // inside the tool's valid range; WSAS not from employment-support activities.
  await db.run(`CREATE OR REPLACE TEMP TABLE tool (snomed VARCHAR, key VARCHAR, lo DOUBLE, hi DOUBLE, wsas BOOLEAN); INSERT INTO tool VALUES ${toolValues()}`);
  await db.run(
    `CREATE OR REPLACE TEMP TABLE score AS SELECT x.PathwayID, t.key, try_cast(x.PersScore AS DOUBLE) AS value, x.day, x.time, x.id FROM (` +
      `SELECT PathwayID, CodedAssToolType, PersScore, d(AssToolCompDate) AS day, AssToolCompTime AS time, UniqueID_IDS606 AS id, NULL AS code FROM n606 ` +
      `UNION ALL SELECT s.PathwayID, s.CodedAssToolType, s.PersScore, a.day, a.time, s.UniqueID_IDS607, a.code FROM n607 s JOIN activity a USING (Unique_CareActivityID)) x ` +
      `JOIN tool t ON t.snomed = x.CodedAssToolType JOIN span s ON s.PathwayID = x.PathwayID ` +
      `WHERE x.day BETWEEN s.start_day AND s.end_day AND try_cast(x.PersScore AS DOUBLE) BETWEEN t.lo AND t.hi AND NOT (t.wsas AND coalesce(x.code IN (${therapyList('employment')}), false))`,
  );
  await db.run(
    `CREATE OR REPLACE TEMP TABLE score_pair AS SELECT PathwayID, key, arg_min(value, (day, time, id)) AS first, ` +
      `CASE WHEN count(*) >= 2 THEN arg_max(value, (day, time, id)) END AS last FROM score GROUP BY PathwayID, key`,
  );
  const scoreCols = SCORED_TOOLS.flatMap((t) => [`max(first) FILTER (WHERE key = ${lit(t.key)}) AS ${t.key}_FirstScore`, `max(last) FILTER (WHERE key = ${lit(t.key)}) AS ${t.key}_LastScore`]);
  await db.run(`CREATE OR REPLACE TEMP TABLE score_items AS SELECT PathwayID, ${scoreCols.join(', ')} FROM score_pair GROUP BY PathwayID`);

  // One problem descriptor per pathway: validated code first, primary before secondary, latest date, highest record id.
  await db.run(
    `CREATE OR REPLACE TEMP TABLE descriptor AS SELECT PathwayID, Validated_PresentingComplaint, ${descriptorCase('Validated_PresentingComplaint')} AS descriptor_id FROM (` +
      `SELECT PathwayID, ${validatedCodeSql('FindSchemeInUse', 'PresComp')} AS Validated_PresentingComplaint, PresCompCodSig, PresCompDate, UniqueID_IDS603 FROM n603) ` +
      `QUALIFY row_number() OVER (PARTITION BY PathwayID ORDER BY (Validated_PresentingComplaint IS NOT NULL AND Validated_PresentingComplaint <> '-3') DESC, PresCompCodSig ASC NULLS LAST, d(PresCompDate) DESC NULLS LAST, UniqueID_IDS603 DESC) = 1`,
  );

  // The first / last score of the measure named by `measure` (an expression giving a tool key).
  const scoreOf = (measure: string, which: 'First' | 'Last', prefix = '') => `CASE ${SCORED_TOOLS.map((t) => `WHEN ${measure} = ${lit(t.key)} THEN ${prefix}${t.key}_${which}Score`).join(' ')} END`;
  await db.run(
    `CREATE OR REPLACE TEMP TABLE base AS SELECT r.*, ci.* EXCLUDE (PathwayID, sessions), ai.* EXCLUDE (PathwayID), coalesce(ie.InternetEnabledTherapy_Count, 0) AS InternetEnabledTherapy_Count, ` +
      `coalesce(em.Count_EmploymentStatuses, 0) AS Count_EmploymentStatuses, coalesce(em.Count_StatutorySickpayIndicators, 0) AS Count_StatutorySickpayIndicators, em.SickpayIndicator_First, em.SickpayIndicator_Last, ` +
      `ci.sessions[1] AS TherapySession_FirstDate, ci.sessions[2] AS TherapySession_SecondDate, ci.sessions[-1] AS TherapySession_LastDate, sc.* EXCLUDE (PathwayID), ` +
      `ds.Validated_PresentingComplaint AS PresentingComplaint, ${descriptorNameCase('coalesce(ds.descriptor_id, \'NotStated\')', 'higher')} AS PresentingComplaintHigherCategory, ` +
      `${descriptorNameCase("coalesce(ds.descriptor_id, 'NotStated')", 'name')} AS PresentingComplaintLowerCategory, ${adsmForDescriptor('ds.descriptor_id')} AS adsm_candidate ` +
      `FROM n101 r LEFT JOIN contact_items ci USING (PathwayID) LEFT JOIN activity_items ai USING (PathwayID) LEFT JOIN iet_items ie USING (PathwayID) LEFT JOIN employment_items em USING (PathwayID) ` +
      `LEFT JOIN score_items sc USING (PathwayID) LEFT JOIN descriptor ds USING (PathwayID)`,
  );
  // The ADSM counts when its descriptor calls for it and it has a first score; otherwise GAD-7 is the anxiety measure.
  await db.run(
    `CREATE OR REPLACE TEMP TABLE with_adsm AS SELECT b.*, CASE WHEN ${scoreOf('b.adsm_candidate', 'First', 'b.')} IS NOT NULL THEN b.adsm_candidate END AS ADSM FROM base b`,
  );
  const rcA = anxietyReliableChange('ADSM');
  const fall = (first: string, last: string, rc: string | number) => `(round(${first} - ${last}, 2) >= ${rc})`;
  const rise = (first: string, last: string, rc: string | number) => `(round(${last} - ${first}, 2) >= ${rc})`;
  await db.run(
    `CREATE OR REPLACE TEMP TABLE derived_ids101 AS SELECT * EXCLUDE (adsm_candidate, anx_first, anx_last, paired, fall_any, rise_any), ` +
      `coalesce(Recovery_Flag AND ReliableImprovement_Flag, false) AS ReliableRecovery_Flag FROM (` +
      `SELECT *, ` +
      `coalesce(CompletedTreatment_Flag AND Caseness_Flag AND paired AND NOT ${phq9Caseness('PHQ9_LastScore')} AND NOT ${anxietyCaseness('ADSM', 'anx_last')}, false) AS Recovery_Flag, ` +
      `coalesce(CompletedTreatment_Flag AND paired AND fall_any AND NOT rise_any, false) AS ReliableImprovement_Flag, ` +
      `coalesce(CompletedTreatment_Flag AND paired AND rise_any AND NOT fall_any, false) AS ReliableDeterioration_Flag, ` +
      `coalesce(CompletedTreatment_Flag AND paired AND NOT (fall_any AND NOT rise_any) AND NOT (rise_any AND NOT fall_any), false) AS NoChange_Flag, ` +
      `CASE WHEN ADSM IS NOT NULL THEN ${anxietyCaseness('ADSM', 'ADSM_FirstScore')} END AS ADSM_FirstScoreAtCaseness, ` +
      `CASE WHEN ADSM IS NOT NULL THEN NOT ${anxietyCaseness('ADSM', 'ADSM_FirstScore')} END AS ADSM_FirstScoreNotAtCaseness, ` +
      `CASE WHEN ADSM IS NOT NULL AND ADSM_LastScore IS NOT NULL THEN NOT ${anxietyCaseness('ADSM', 'ADSM_LastScore')} END AS ADSM_LastScoreNotAtCaseness ` +
      `FROM (SELECT *, ` +
      `coalesce(${phq9Caseness('PHQ9_FirstScore')}, false) OR coalesce(${anxietyCaseness('ADSM', 'anx_first')}, false) AS Caseness_Flag, ` +
      `coalesce(CompletedTreatment_Flag AND PHQ9_FirstScore IS NOT NULL AND anx_first IS NOT NULL AND NOT ${phq9Caseness('PHQ9_FirstScore')} AND NOT ${anxietyCaseness('ADSM', 'anx_first')}, false) AS NotCaseness_Flag, ` +
      `coalesce(${fall('PHQ9_FirstScore', 'PHQ9_LastScore', phq9.reliableChange!)} OR ${fall('anx_first', 'anx_last', rcA)}, false) AS fall_any, ` +
      `coalesce(${rise('PHQ9_FirstScore', 'PHQ9_LastScore', phq9.reliableChange!)} OR ${rise('anx_first', 'anx_last', rcA)}, false) AS rise_any ` +
      `FROM (SELECT *, ${scoreOf('ADSM', 'First')} AS ADSM_FirstScore, ${scoreOf('ADSM', 'Last')} AS ADSM_LastScore, ` +
      `CASE WHEN ADSM IS NOT NULL THEN ${scoreOf('ADSM', 'First')} ELSE GAD_FirstScore END AS anx_first, ` +
      `CASE WHEN ADSM IS NOT NULL THEN ${scoreOf('ADSM', 'Last')} ELSE GAD_LastScore END AS anx_last, ` +
      `PHQ9_LastScore IS NOT NULL AND (CASE WHEN ADSM IS NOT NULL THEN ${scoreOf('ADSM', 'Last')} ELSE GAD_LastScore END) IS NOT NULL AS paired, ` +
      // Finished a course of treatment (M076): discharged after at least two treatment appointments.
      `ServDischDate IS NOT NULL AND trim(ServDischDate) <> '' AND coalesce(TreatmentCareContact_Count, 0) >= 2 AS CompletedTreatment_Flag, ` +
      ppsSql() +
      ` FROM with_adsm)))`,
  );
}

/** Persistent physical symptoms measure (IBS-SSS, else PHQ-15) for referrals with an integrated (LTC) contact. */
function ppsSql(): string {
  const pick = (ibs: string, phq15: string) => `CASE WHEN IntegratedContact_FirstDate IS NULL THEN NULL WHEN IBS_FirstScore IS NOT NULL THEN ${ibs} ELSE ${phq15} END`;
  return `${pick("'IBS'", "CASE WHEN PHQ15_FirstScore IS NOT NULL THEN 'PHQ15' END")} AS PPSM, ${pick('IBS_FirstScore', 'PHQ15_FirstScore')} AS PPSM_FirstScore, ${pick('IBS_LastScore', 'PHQ15_LastScore')} AS PPSM_LastScore`;
}
