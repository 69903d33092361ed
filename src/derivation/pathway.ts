// Pathway-level derived items on IDS101 (one row per PathwayID), as set-based SQL over the national
// tables of a period (views n101, n201, n202, n205, n603, n606, n607). Definitions: docs/derivations.md.
import { assessmentTypeSql, attendedContactSql, OUTCOME_MEASURES, treatmentTypeSql, type OutcomeMeasure } from '../dataset/index.js';
import type { Db } from '../core/db.js';
import { adsmForDescriptor, anxietyCaseness, anxietyReliableChange, depression, descriptorCase, descriptorNameCase, lit, phq9Caseness, therapyList, THERAPY_TYPES, toolValues, SCORED_TOOLS, usableAdsms } from './sqlConfig.js';
import { validatedCodeSql } from './record.js';

/** Derived counts that are 0, never NULL, for a referral with nothing to count (so `= 0` tests hold). */
const COUNTS = ['CareContact_Count', 'TreatmentCareContact_Count', ...THERAPY_TYPES.filter((t) => t.intensity !== 'employment').map((t) => t.countColumn), 'EmploymentSupport_Count'];

/**
 * Builds table `derived_ids101`: the national IDS101 rows of the period with every pathway derivation.
 * `outcomes` is the outcome configuration table (src/dataset/outcomes.ts); tests pass their own to exercise ADSMs
 * whose thresholds are not configured.
 */
export async function derivePathways(db: Db, periodEnd: string, outcomes: readonly OutcomeMeasure[] = OUTCOME_MEASURES): Promise<void> {
  const end = `DATE ${lit(periodEnd)}`;
  // The referral's active span: received date to discharge date, or to the period end while open.
  await db.run(`CREATE OR REPLACE TEMP TABLE span AS SELECT PathwayID, d(ReferralRequestReceivedDate) AS start_day, coalesce(d(ServDischDate), ${end}) AS end_day FROM n101`);
  // Attended and treatment as the NHS defines them (src/dataset/appointments.ts), for derivations and measures alike.
  await db.run(
    `CREATE OR REPLACE TEMP TABLE contact AS SELECT c.PathwayID, c.Unique_CareContactID, d(c.CareContDate) AS day, c.CareContTime AS time, CAST(c.UniqueID_IDS201 AS BIGINT) AS id, 'IDS201' AS source, c.AppType, c.PsychMed, c.IAPTLTCServiceInd, ` +
      `coalesce(${attendedContactSql('c')}, false) AS attended, coalesce(d(c.CareContDate) BETWEEN s.start_day AND s.end_day, false) AS in_span, ` +
      `coalesce(${attendedContactSql('c')} AND ${treatmentTypeSql('c')} AND d(c.CareContDate) BETWEEN s.start_day AND s.end_day, false) AS treatment ` +
      `FROM n201 c JOIN span s USING (PathwayID)`,
  );
  await db.run(`CREATE OR REPLACE TEMP TABLE activity AS SELECT a.Unique_CareActivityID, a.Unique_CareContactID, a.CodeProcAndProcStatus AS code, c.* EXCLUDE (Unique_CareContactID) FROM n202 a JOIN contact c USING (Unique_CareContactID)`);
  // Every visit: the IDS201 contacts, and each internet-enabled therapy log entry (IDS205) whose start and end fall
  // within the span, as a treatment session dated by its start. Sources: NHS England metadata M349/M350 date a
  // pathway's treatment stages by "IDS201CareContact.CareContactDate/IDS205InternetTherLog.StartDateIntEnabledTherLog";
  // EA036 counts an IDS205 entry inside the referral's span as an appointment; NHS England's IET dashboard SQL
  // (github.com/nhsengland/Talking-Therapies) classes a pathway as "Only IET" when TreatmentCareContact_Count equals
  // its count of IDS205 entries. docs/derivations.md.
  const iet =
    ` UNION ALL SELECT i.PathwayID, d(i.StartDateIntEnabledTherLog), NULL, CAST(i.UniqueID_IDS205 AS BIGINT), 'IDS205', NULL, NULL, NULL, true, true, true FROM n205 i JOIN span s USING (PathwayID) ` +
    `WHERE d(i.StartDateIntEnabledTherLog) BETWEEN s.start_day AND s.end_day AND d(i.EndDateIntEnabledTherLog) BETWEEN s.start_day AND s.end_day`;
  await db.run(`CREATE OR REPLACE TEMP TABLE visit AS SELECT * EXCLUDE (Unique_CareContactID) FROM contact${iet}`);

  const order = '(day, time, id)';
  const fromContact = "source = 'IDS201'";
  await db.run(
    `CREATE OR REPLACE TEMP TABLE contact_items AS SELECT PathwayID, ` +
      `count(*) FILTER (WHERE attended AND in_span) AS CareContact_Count, ` +
      `count(*) FILTER (WHERE treatment) AS TreatmentCareContact_Count, ` +
      `min(day) FILTER (WHERE attended AND in_span AND ${assessmentTypeSql()}) AS Assessment_FirstDate, ` +
      `max(day) FILTER (WHERE attended AND in_span AND ${assessmentTypeSql()}) AS Assessment_LastDate, ` +
      `list(day ORDER BY day, time NULLS LAST, id) FILTER (WHERE treatment) AS sessions, ` +
      `arg_min(PsychMed, ${order}) FILTER (WHERE treatment AND ${fromContact}) AS PsychotropicIndicator_First, ` +
      `arg_max(PsychMed, ${order}) FILTER (WHERE treatment AND ${fromContact}) AS PsychotropicIndicator_Last, ` +
      `min(day) FILTER (WHERE attended AND in_span AND IAPTLTCServiceInd = 'Y') AS IntegratedContact_FirstDate, ` +
      `min(day) FILTER (WHERE treatment AND IAPTLTCServiceInd = 'Y') AS IntegratedTreatment_FirstDate ` +
      `FROM visit GROUP BY PathwayID`,
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

  // The first / last score of the usable ADSM named by `measure` (an ADSM label; its tool's score columns).
  const adsms = usableAdsms(outcomes);
  const scoreOf = (measure: string, which: 'First' | 'Last') =>
    adsms.length ? `CASE ${adsms.map((m) => `WHEN ${measure} = ${lit(m.key)} THEN ${m.toolKey}_${which}Score`).join(' ')} END` : 'CAST(NULL AS DOUBLE)';
  const zeroCounts = COUNTS.map((c) => `coalesce(${c}, 0) AS ${c}`).join(', ');
  await db.run(
    `CREATE OR REPLACE TEMP TABLE base AS SELECT * REPLACE (${zeroCounts}) FROM (SELECT r.*, ci.* EXCLUDE (PathwayID, sessions), ai.* EXCLUDE (PathwayID), coalesce(ie.InternetEnabledTherapy_Count, 0) AS InternetEnabledTherapy_Count, ` +
      `coalesce(em.Count_EmploymentStatuses, 0) AS Count_EmploymentStatuses, coalesce(em.Count_StatutorySickpayIndicators, 0) AS Count_StatutorySickpayIndicators, em.SickpayIndicator_First, em.SickpayIndicator_Last, ` +
      `ci.sessions[1] AS TherapySession_FirstDate, ci.sessions[2] AS TherapySession_SecondDate, ci.sessions[-1] AS TherapySession_LastDate, sc.* EXCLUDE (PathwayID), ` +
      `ds.Validated_PresentingComplaint AS PresentingComplaint, ${descriptorNameCase('coalesce(ds.descriptor_id, \'NotStated\')', 'higher')} AS PresentingComplaintHigherCategory, ` +
      `${descriptorNameCase("coalesce(ds.descriptor_id, 'NotStated')", 'name')} AS PresentingComplaintLowerCategory, ${adsmForDescriptor('ds.descriptor_id', outcomes)} AS adsm_candidate ` +
      `FROM n101 r LEFT JOIN contact_items ci USING (PathwayID) LEFT JOIN activity_items ai USING (PathwayID) LEFT JOIN iet_items ie USING (PathwayID) LEFT JOIN employment_items em USING (PathwayID) ` +
      `LEFT JOIN score_items sc USING (PathwayID) LEFT JOIN descriptor ds USING (PathwayID))`,
  );
  // The anxiety measure (`ADSM`, with `ADSM_FirstScore` / `ADSM_LastScore`), one rule for derivations and measures:
  // the ADSM of the problem descriptor when its scores are paired; else GAD-7 when GAD-7's are (the NHS pairs "the
  // ADSM's last score or GAD-7's", M198); else, unpaired, the ADSM when it has a first score, else GAD-7.
  await db.run(
    `CREATE OR REPLACE TEMP TABLE with_anxiety AS SELECT *, CASE ADSM WHEN 'GAD' THEN GAD_FirstScore ELSE adsm_first END AS ADSM_FirstScore, CASE ADSM WHEN 'GAD' THEN GAD_LastScore ELSE adsm_last END AS ADSM_LastScore FROM (` +
      `SELECT *, CASE WHEN adsm_last IS NOT NULL THEN adsm_candidate WHEN GAD_LastScore IS NOT NULL THEN 'GAD' WHEN adsm_first IS NOT NULL THEN adsm_candidate WHEN GAD_FirstScore IS NOT NULL THEN 'GAD' END AS ADSM FROM (` +
      `SELECT *, ${scoreOf('adsm_candidate', 'First')} AS adsm_first, ${scoreOf('adsm_candidate', 'Last')} AS adsm_last FROM base))`,
  );
  const phqCase = (x: string) => phq9Caseness(x, outcomes);
  const anxCase = (x: string) => anxietyCaseness('ADSM', x, outcomes);
  const rcP = depression(outcomes).reliableChange!;
  const rcA = anxietyReliableChange('ADSM', outcomes);
  const fall = (first: string, last: string, rc: string | number) => `(round(${first} - ${last}, 2) >= ${rc})`;
  const rise = (first: string, last: string, rc: string | number) => `(round(${last} - ${first}, 2) >= ${rc})`;
  await db.run(
    `CREATE OR REPLACE TEMP TABLE derived_ids101 AS SELECT * EXCLUDE (adsm_candidate, adsm_first, adsm_last, paired, fall_any, rise_any), ` +
      `coalesce(Recovery_Flag AND ReliableImprovement_Flag, false) AS ReliableRecovery_Flag FROM (` +
      `SELECT *, ` +
      `coalesce(CompletedTreatment_Flag AND Caseness_Flag AND paired AND NOT ${phqCase('PHQ9_LastScore')} AND NOT ${anxCase('ADSM_LastScore')}, false) AS Recovery_Flag, ` +
      `coalesce(CompletedTreatment_Flag AND paired AND fall_any AND NOT rise_any, false) AS ReliableImprovement_Flag, ` +
      `coalesce(CompletedTreatment_Flag AND paired AND rise_any AND NOT fall_any, false) AS ReliableDeterioration_Flag, ` +
      `coalesce(CompletedTreatment_Flag AND paired AND NOT (fall_any AND NOT rise_any) AND NOT (rise_any AND NOT fall_any), false) AS NoChange_Flag, ` +
      `CASE WHEN ADSM_FirstScore IS NOT NULL THEN ${anxCase('ADSM_FirstScore')} END AS ADSM_FirstScoreAtCaseness, ` +
      `CASE WHEN ADSM_FirstScore IS NOT NULL THEN NOT ${anxCase('ADSM_FirstScore')} END AS ADSM_FirstScoreNotAtCaseness, ` +
      `CASE WHEN ADSM_LastScore IS NOT NULL THEN NOT ${anxCase('ADSM_LastScore')} END AS ADSM_LastScoreNotAtCaseness ` +
      `FROM (SELECT *, ` +
      `coalesce(${phqCase('PHQ9_FirstScore')}, false) OR coalesce(${anxCase('ADSM_FirstScore')}, false) AS Caseness_Flag, ` +
      `coalesce(CompletedTreatment_Flag AND PHQ9_FirstScore IS NOT NULL AND ADSM_FirstScore IS NOT NULL AND NOT ${phqCase('PHQ9_FirstScore')} AND NOT ${anxCase('ADSM_FirstScore')}, false) AS NotCaseness_Flag, ` +
      `coalesce(${fall('PHQ9_FirstScore', 'PHQ9_LastScore', rcP)} OR ${fall('ADSM_FirstScore', 'ADSM_LastScore', rcA)}, false) AS fall_any, ` +
      `coalesce(${rise('PHQ9_FirstScore', 'PHQ9_LastScore', rcP)} OR ${rise('ADSM_FirstScore', 'ADSM_LastScore', rcA)}, false) AS rise_any ` +
      `FROM (SELECT *, PHQ9_LastScore IS NOT NULL AND ADSM_LastScore IS NOT NULL AS paired, ` +
      // Finished a course of treatment (M076): discharged after at least two treatment appointments.
      `ServDischDate IS NOT NULL AND trim(ServDischDate) <> '' AND TreatmentCareContact_Count >= 2 AS CompletedTreatment_Flag, ` +
      ppsSql() +
      ` FROM with_anxiety)))`,
  );
}

/** Persistent physical symptoms measure (IBS-SSS, else PHQ-15) for referrals with an integrated (LTC) contact. */
function ppsSql(): string {
  const pick = (ibs: string, phq15: string) => `CASE WHEN IntegratedContact_FirstDate IS NULL THEN NULL WHEN IBS_FirstScore IS NOT NULL THEN ${ibs} ELSE ${phq15} END`;
  return `${pick("'IBS'", "CASE WHEN PHQ15_FirstScore IS NOT NULL THEN 'PHQ15' END")} AS PPSM, ${pick('IBS_FirstScore', 'PHQ15_FirstScore')} AS PPSM_FirstScore, ${pick('IBS_LastScore', 'PHQ15_LastScore')} AS PPSM_LastScore`;
}
