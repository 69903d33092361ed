// Employment support (ES) and employment status (metadata_measures_monthly measure type EA: EA001–EA285 and
// M296–M331): IDS004 data quality, referrals with ES against those with NHS Talking Therapies only, their
// outcomes and employment status at the start and end, ES appointments and waits.
//
// Referral measures reach IDS004 records, contacts and internet-enabled therapy logs through referral items
// (derived once per referral for the period: EMPLOYMENT_RECORD_ITEMS, EMPLOYMENT_CONTACT_ITEMS, INTERNET_LOG_ITEMS) over the views `m_employmentStatus` (the
// employmentStatus unit: a record with each referral of its person at its provider), `m_contact` and `m_internetLog`.
import { eq, isIn, literal, ne, notIn } from '../../core/sql.js';
import { codeList, item, THERAPY_TYPES } from '../../dataset/index.js';
import { EMPLOYMENT_SUPPORT_APPOINTMENT, FOLLOW_UP_APPOINTMENT } from '../../dataset/measureCodes.js';
import { codeOf } from '../../dataset/codes.js';
import { ENDED, RECEIVED, and, days, type Cohort, type Gap, type MeasureDefinition, type ReferralItems, type Term, finishers, attendedContact } from '../definition.js';

const ES_ACTIVITY = THERAPY_TYPES.find((t) => t.intensity === 'employment')!.snomed;

const ea = (n: number): string => `EA${String(n).padStart(3, '0')}`;
const m = (n: number): string => `M${n}`;

const count = (id: string, name: string, cohort: Cohort, note?: string): MeasureDefinition => ({ id, name, frequency: 'Monthly', ...(note ? { note } : {}), statistic: 'count', ...cohort });
const summary = (statistic: 'mean' | 'median' | 'max', id: string, name: string, of: string, cohort: Cohort, note?: string): MeasureDefinition => ({
  id,
  name,
  frequency: 'Monthly',
  ...(note ? { note } : {}),
  statistic,
  of,
  ...cohort,
});
const percentage = (id: string, name: string, numerator: [Term, ...Term[]], denominator: [Term, ...Term[]]): MeasureDefinition => ({ id, name, frequency: 'Monthly', statistic: 'percentage', numerator, denominator });

/** Unique_MonthID of a DATE (as store/identifiers.ts numbers months). */
const monthId = (date: string): string => `((year(${date}) - 1900) * 12 + month(${date}) - 3)`;
/** The NHS "RecordStartDate within the reporting period": the referral's row comes from a submission for the period. */
const SUBMITTED = `Unique_MonthID BETWEEN ${monthId('$start')} AND ${monthId('$end')}`;
const SUBMITTED_NOTE = "RecordStartDate is not held: it is read as the start of the period of the submission the referral's row comes from (its Unique_MonthID falls in the period).";

const HAD_ES = 'EmpSupport_FirstDate IS NOT NULL';
/** Employment support before the referral ended. */
const ES_BEFORE_END = `EmpSupport_FirstDate BETWEEN ${RECEIVED} AND ${ENDED}`;
/** NHS Talking Therapies only: no employment support before the referral ended. */
const TT_ONLY = `(EmpSupport_FirstDate IS NULL OR EmpSupport_FirstDate > ${ENDED})`;

// ---- IDS004 records of the referral ----

/** The latest EmpSupportDischargeDate in the period of the person's IDS004 records (an item); null without one. */
const ES_DISCHARGE_IN_PERIOD = 'EsDischarge_LastInPeriod';
/** The person's employment support ended in the period. */
const ES_DISCHARGED = `${ES_DISCHARGE_IN_PERIOD} IS NOT NULL`;

const STATUSES = codeList('EmployStatus').values;
const EMPLOYED = codeOf('EmployStatus', 'Employed');
const STATUS_NOT_STATED = codeOf('EmployStatus', 'Not stated');
const NOT_EMPLOYED = STATUSES.filter((v) => !v.isDefault && v.code !== EMPLOYED).map((v) => v.code);
const LISTED_STATUS = isIn('e.EmployStatus', STATUSES.map((v) => v.code));
const LISTED_SICKNESS = isIn('e.SickAbsenceInd', codeList('EmploymentIndicator').values.map((v) => v.code));
/** SickAbsenceInd (EMPLOYMENT INDICATOR codes). */
const [OFF_SICK, NOT_OFF_SICK, NOT_EMPLOYED_SICKNESS] = ['Yes', 'No', 'Not applicable (not employed)'].map((m) => codeOf('EmploymentIndicator', m)) as [string, string, string];
const SICKNESS_UNKNOWN = ['Not stated', 'Not known'].map((m) => codeOf('EmploymentIndicator', m));
const recordedUntil = (end: string): string => `d(e.EmployStatusRecDate) BETWEEN d(e.ReferralRequestReceivedDate) AND ${end}`;

/** Employment status categories of the chosen record, as the constructions write them (they overlap). */
const CATEGORIES: readonly [string, (s: string, a: string) => string][] = [
  ['InWork', (s, a) => `${eq(s, EMPLOYED)} AND ${eq(a, NOT_OFF_SICK)}`],
  ['OffSick', (s, a) => `${eq(s, EMPLOYED)} AND ${eq(a, OFF_SICK)}`],
  ['NotEmployed', (s) => isIn(s, NOT_EMPLOYED)],
  [
    'UnknownStatus',
    (s, a) =>
      `(${eq(s, STATUS_NOT_STATED)} OR ${isIn(a, SICKNESS_UNKNOWN)}) OR (${eq(s, EMPLOYED)} AND ${notIn(a, [NOT_OFF_SICK, OFF_SICK])}) OR (${isIn(s, NOT_EMPLOYED)} AND ${ne(a, NOT_EMPLOYED_SICKNESS)}) OR (${s} IS NULL AND ${a} IS NULL)`,
  ],
];

/** Four counts (in work, off sick, not employed, unknown) of `cohort` by the status in `record` (a RECORDS item). */
const byStatus = (first: (n: number) => string, start: number, name: string, cohort: Cohort, record: string, note: string): MeasureDefinition[] =>
  CATEGORIES.map(([label, test], i) => count(first(start + i), `${name}${label}`, { ...cohort, where: and(cohort.where, `coalesce(${test(`${record}.EmployStatus`, `${record}.SickAbsenceInd`)}, false)`) }, note));

const STATUS_NOTE =
  'The NHS also searches pre-v2.0 records (Rep_Appointment, Rep_EA1Appointment), which are not held: the status is that of the ' +
  "referral's chosen IDS004 record alone; without one it is unknown (the construction's both-null case). The categories overlap as " +
  'written: a not-employed status with SickAbsenceInd other than 8 is also unknown.';
/**
 * The referral's first or last IDS004 record (by EmployStatusRecDate, then UniqueID_IDS004) within a window, as the
 * struct {EmployStatus, SickAbsenceInd, EmpSupportInd} (null without one): item name → [first or last, window over `e`].
 */
const RECORDS = {
  EmpStatus_FinisherFirst: ['first', and(recordedUntil('d(e.ServDischDate)'), LISTED_STATUS, LISTED_SICKNESS)],
  EmpStatus_FinisherLast: ['last', and(recordedUntil('d(e.ServDischDate)'), LISTED_STATUS, LISTED_SICKNESS)],
  EmpStatus_EsEndedFirst: ['first', and(recordedUntil('greatest(d(e.ServDischDate), e.EmpSupport_LastDate)'), LISTED_STATUS, LISTED_SICKNESS)],
  EmpStatus_EsEndedLast: ['last', and(recordedUntil('greatest(d(e.ServDischDate), e.EmpSupport_LastDate)'), LISTED_STATUS, LISTED_SICKNESS)],
  EmpStatus_EsStartedLast: ['last', and(recordedUntil('coalesce(greatest(d(e.ServDischDate), d(e.EmpSupportDischargeDate)), $end)'), LISTED_STATUS, `(${LISTED_SICKNESS} OR e.SickAbsenceInd IS NULL)`)],
  EmpStatus_SuitableLast: ['last', recordedUntil('coalesce(d(e.ServDischDate), $end)')],
} as const;
const RECORD_TYPE = 'STRUCT(EmployStatus VARCHAR, SickAbsenceInd VARCHAR, EmpSupportInd VARCHAR)';
const chosenRecord = ([pick, window]: readonly [string, string]): string =>
  `arg_${pick === 'first' ? 'min' : 'max'}({'EmployStatus': e.EmployStatus, 'SickAbsenceInd': e.SickAbsenceInd, 'EmpSupportInd': e.EmpSupportInd}, (d(e.EmployStatusRecDate), e.UniqueID_IDS004)) FILTER (WHERE ${window})`;
const ES_STARTED_NOTE =
  'The latest IDS004 record (as the construction orders it) dated from referral to the later of discharge and its own ES discharge date, ' +
  'or the period end. A record with EmployStatus 01 and no SickAbsenceInd falls in no category, as the SQL as written gives.';
const ES_ENDED = and(HAD_ES, 'TreatmentCareContact_Count > 0', ES_DISCHARGED);

// ---- Care contacts and internet-enabled therapy ----

/** SQL over the care contact `c` (an m_contact row's alias; `src` for the contact unit). */
function contactOf(c: string) {
  const day = `d(${c}.CareContDate)`;
  const received = `d(${c}.ReferralRequestReceivedDate)`;
  const ended = `d(${c}.ServDischDate)`;
  const appType = `${c}.AppType`;
  const es = `list_contains(${c}.Activities, ${literal(ES_ACTIVITY)})`;
  const inReferral = `${day} BETWEEN ${received} AND coalesce(${ended}, $end)`;
  const followUp = `(${eq(appType, FOLLOW_UP_APPOINTMENT)} AND ${day} > ${ended})`;
  return {
    day,
    received,
    ended,
    appType,
    es,
    inReferral,
    followUp,
    attended: attendedContact(c),
    inPeriod: `${day} BETWEEN $start AND $end`,
    /** An activity other than employment support, or none. */
    other: `(len(${c}.Activities) = 0 OR len(list_filter(${c}.Activities, a -> a IS NULL OR ${ne('a', ES_ACTIVITY)})) > 0)`,
    /** Within the referral other than a follow-up, or a follow-up after discharge. */
    inPathway: `((${ne(appType, FOLLOW_UP_APPOINTMENT)} AND ${inReferral}) OR ${followUp})`,
    /** AppType 10 from referral to the ES discharge date (the period end when a record has none, or without records): needs `x`, EMPLOYMENT_RECORD_ITEMS. */
    esAppointment: `(${eq(appType, EMPLOYMENT_SUPPORT_APPOINTMENT)} AND ${day} BETWEEN ${received} AND coalesce(x.EsAppointment_Limit, $end))`,
  };
}

const anyContact = (c: string): string => {
  const k = contactOf(c);
  return and(k.attended, k.inPeriod, `(${k.inPathway} OR ${k.esAppointment})`);
};
const therapyContact = (c: string): string => {
  const k = contactOf(c);
  return and(k.attended, k.inPeriod, k.other, `((${notIn(k.appType, [FOLLOW_UP_APPOINTMENT, EMPLOYMENT_SUPPORT_APPOINTMENT])} AND ${k.inReferral}) OR ${k.followUp})`);
};
const esContact = (c: string): string => {
  const k = contactOf(c);
  return and(k.attended, k.inPeriod, `((${k.es} AND ${k.inPathway}) OR ${k.esAppointment})`);
};
/**
 * EA131's contacts: attended (or unplanned), of a person with an ES discharge in the period, with an ES activity
 * within the referral or as a follow-up, or with AppType 10 (or an ES follow-up) from referral to that discharge
 * (`discharge`: the latest in the period).
 */
const endedEsContact = (c: string, discharge: string): string => {
  const k = contactOf(c);
  const upToDischarge = `((${eq(k.appType, EMPLOYMENT_SUPPORT_APPOINTMENT)} OR (${k.es} AND ${eq(k.appType, FOLLOW_UP_APPOINTMENT)})) AND ${k.day} BETWEEN ${k.received} AND ${discharge})`;
  return and(k.attended, `${discharge} IS NOT NULL`, `((${k.es} AND ${k.inPathway}) OR ${upToDischarge})`);
};
const IET_IN_PERIOD_LOG = (() => {
  const span = (date: string) => `d(l.${date}) BETWEEN d(l.ReferralRequestReceivedDate) AND coalesce(d(l.ServDischDate), $end)`;
  return and(span('StartDateIntEnabledTherLog'), span('EndDateIntEnabledTherLog'), 'd(l.EndDateIntEnabledTherLog) BETWEEN $start AND $end');
})();

/**
 * Per referral for the period, from its person's IDS004 records: the ES discharge (EsDischarge_LastInPeriod), the
 * chosen records (RECORDS), and how far ES appointments run (EsAppointment_Limit: the latest ES discharge date, the
 * period end for a record without one, or without records).
 */
export const EMPLOYMENT_RECORD_ITEMS: ReferralItems = {
  name: 'employmentRecords',
  needs: ['employmentStatus'],
  columns: { [ES_DISCHARGE_IN_PERIOD]: 'DATE', EsAppointment_Limit: 'DATE', ...Object.fromEntries(Object.keys(RECORDS).map((k) => [k, RECORD_TYPE])) },
  sql:
    `SELECT e.PathwayID, max(d(e.EmpSupportDischargeDate)) FILTER (WHERE d(e.EmpSupportDischargeDate) BETWEEN $start AND $end) AS ${ES_DISCHARGE_IN_PERIOD}, ` +
    `max(coalesce(d(e.EmpSupportDischargeDate), $end)) AS EsAppointment_Limit, ${Object.entries(RECORDS).map(([k, r]) => `${chosenRecord(r)} AS ${k}`).join(', ')} ` +
    'FROM m_employmentStatus e GROUP BY e.PathwayID',
};

/**
 * Per referral for the period, from its contacts: whether it had any, NHS Talking Therapies or ES contacts in the
 * period, and the number of EA131's contacts (EsContacts_Ended; null without any, so that the statistics leave
 * the referral out). Reads the records' items (`x`).
 */
export const EMPLOYMENT_CONTACT_ITEMS: ReferralItems = {
  name: 'employmentContacts',
  needs: ['contact'],
  columns: { Contact_AnyInPeriod: 'BOOLEAN', Contact_TherapyInPeriod: 'BOOLEAN', Contact_EsInPeriod: 'BOOLEAN', EsContacts_Ended: 'BIGINT' },
  sql:
    `SELECT c.PathwayID, bool_or(${anyContact('c')}) AS Contact_AnyInPeriod, bool_or(${therapyContact('c')}) AS Contact_TherapyInPeriod, ` +
    `bool_or(${esContact('c')}) AS Contact_EsInPeriod, nullif(count(*) FILTER (WHERE ${endedEsContact('c', `x.${ES_DISCHARGE_IN_PERIOD}`)}), 0) AS EsContacts_Ended ` +
    `FROM m_contact c LEFT JOIN m_items_${EMPLOYMENT_RECORD_ITEMS.name} x ON x.PathwayID = c.PathwayID GROUP BY c.PathwayID`,
};

/** Per referral: an internet-enabled therapy log within the referral ended in the period. */
export const INTERNET_LOG_ITEMS: ReferralItems = {
  name: 'internetLogs',
  needs: ['internetLog'],
  columns: { InternetLog_EndedInPeriod: 'BOOLEAN' },
  sql: `SELECT l.PathwayID, bool_or(${IET_IN_PERIOD_LOG}) AS InternetLog_EndedInPeriod FROM m_internetLog l GROUP BY l.PathwayID`,
};
const IET_IN_PERIOD = 'coalesce(InternetLog_EndedInPeriod, false)';
const THERAPY_IN_PERIOD = `(coalesce(Contact_TherapyInPeriod, false) OR ${IET_IN_PERIOD})`;
const ES_IN_PERIOD = 'coalesce(Contact_EsInPeriod, false)';
const ENDED_ES_CONTACTS: Cohort = { where: ES_DISCHARGED };
const ES_CONTACTS_NOTE =
  "The construction's brackets do not balance: read as referrals whose person has an IDS004 EmpSupportDischargeDate in the period, and their " +
  'attended (or unplanned) contacts with an ES activity within the referral or as a follow-up, or with AppType 10 (or an ES follow-up) from ' +
  'referral to that ES discharge date (the latest in the period when there are several). EA132–EA134: over referrals with at least one ' +
  'such contact.';

// ---- Building blocks ----

/** Finishers of `group` (ES or NHS Talking Therapies only) and their outcomes: ten measures from M`first`. */
function outcomes(first: number, label: string, group: string): MeasureDefinition[] {
  const id = (k: number) => m(first + k);
  const c = (k: number, suffix: string, flag?: string) => count(id(k), `Count_Finished${label}${suffix}`, finishers(group, ...(flag ? [flag] : [])));
  const pct = (k: number, suffix: string, numerator: string, denominator: [string, ...string[]]) => percentage(id(k), `Percentage_${label}${suffix}`, [numerator], denominator);
  const atCaseness: [string, string] = [id(0), `-${id(1)}`];
  return [
    c(0, ''),
    c(1, 'NotAtCaseness', 'NotCaseness_Flag'),
    c(2, 'ReliableImprovement', 'ReliableImprovement_Flag'),
    pct(3, 'ReliableImprovement', id(2), [id(0)]),
    c(4, 'NoChange', 'NoChange_Flag'),
    c(5, 'ReliableDeterioration', 'ReliableDeterioration_Flag'),
    c(6, 'Recovered', 'Recovery_Flag'),
    pct(7, 'Recovered', id(6), atCaseness),
    c(8, 'ReliableRecovery', 'Recovery_Flag AND ReliableImprovement_Flag'),
    pct(9, 'ReliableRecovery', id(8), atCaseness),
  ];
}

const WASAS_DIMENSIONS = ['Work', 'SocialLeisureActivities', 'Relationships', 'PrivateLeisureActivities', 'HomeManagement'];
const WASAS_WORK_PAIRED = 'WASAS_Work_LastScore IS NOT NULL';
const WASAS_PAIRED = and(...WASAS_DIMENSIONS.map((d) => `WASAS_${d}_LastScore IS NOT NULL`));
const wasasTotal = (which: 'First' | 'Last'): string => `(${WASAS_DIMENSIONS.map((d) => `WASAS_${d}_${which}Score`).join(' + ')})`;

/** Finishers of `group` with paired WSAS work scores: their count and the mean and median first and last scores. */
const workScores = (first: number, label: string, group: string): MeasureDefinition[] => {
  const cohort = finishers(group, WASAS_WORK_PAIRED);
  return [
    count(ea(first), `Count_Finished${label}WSASWPairedScores`, cohort),
    summary('mean', ea(first + 1), `Mean_Finished${label}FirstWASASW`, 'WASAS_Work_FirstScore', cohort),
    summary('median', ea(first + 2), `Median_Finished${label}FirstWASASW`, 'WASAS_Work_FirstScore', cohort),
    summary('mean', ea(first + 3), `Mean_Finished${label}LastWASASW`, 'WASAS_Work_LastScore', cohort),
    summary('median', ea(first + 4), `Median_Finished${label}LastWASASW`, 'WASAS_Work_LastScore', cohort),
  ];
};

/** Valid, default, invalid and missing values of an IDS004 item over the records dated in the period (codes from its code list). */
function dataQuality(first: number, label: string, name: string): MeasureDefinition[] {
  const values = codeList(item('IDS004EmpStatus', name).codeList!).values;
  const valid = values.filter((v) => !v.isDefault).map((v) => v.code);
  const defaults = values.filter((v) => v.isDefault).map((v) => v.code);
  const recorded = (where: string): Cohort => ({ unit: 'employmentStatus', distinct: 'UniqueID_IDS004', date: 'd(EmployStatusRecDate)', where });
  return [
    count(ea(first), `Count_${label}Valid`, recorded(isIn(name, valid))),
    count(ea(first + 1), `Count_${label}Default`, recorded(isIn(name, defaults))),
    count(ea(first + 2), `Count_${label}Invalid`, recorded(notIn(name, [...valid, ...defaults]))),
    count(ea(first + 3), `Count_${label}Missing`, recorded(`${name} IS NULL`)),
  ];
}

const ES_WAIT = days('Assessment_FirstDate', 'EmpSupport_FirstDate');
const esWait = { date: 'EmpSupport_FirstDate', where: 'EmpSupport_FirstDate >= Assessment_FirstDate' };

export const EMPLOYMENT: readonly MeasureDefinition[] = [
  // IDS004 data quality.
  ...dataQuality(2, 'EmployStatus', 'EmployStatus'),
  ...dataQuality(6, 'WeeklyHoursWorked', 'WeekHoursWorked'),
  ...dataQuality(10, 'BenefitRecInd', 'BenefitRecInd'),
  ...dataQuality(18, 'ESAInd', 'ESAInd'),
  ...dataQuality(22, 'UCInd', 'UCInd'),
  ...dataQuality(26, 'PIPInd', 'PIPInd'),
  ...dataQuality(127, 'EmpSupportInd', 'EmpSupportInd'),

  // Referrals with and without employment support.
  count('EA034', 'Count_ESrefs', { where: and(HAD_ES, SUBMITTED) }, SUBMITTED_NOTE),
  count('EA035', 'Count_NoESrefs', { where: and('EmpSupport_FirstDate IS NULL', SUBMITTED) }, SUBMITTED_NOTE),
  {
    id: 'EA001',
    name: 'Percentage_ESrefsMissingStatus',
    frequency: 'Monthly',
    note: SUBMITTED_NOTE,
    statistic: 'percentage',
    numerator: [{ where: and(HAD_ES, SUBMITTED, 'coalesce(Count_EmploymentStatuses, 0) = 0') }],
    denominator: ['EA034'],
  },
  count('EA139', 'Count_SuitableESreferrals', { where: and(SUBMITTED, `coalesce(${eq('EmpStatus_SuitableLast.EmpSupportInd', codeOf('EmpSupportInd', 'Yes'))}, false)`) }, `The latest record is taken per referral (the construction partitions by person). ${SUBMITTED_NOTE}`),
  count('EA040', 'Count_FirstESApptInMonthRefs', { date: 'EmpSupport_FirstDate' }),
  count('EA041', 'Count_EndingESInMonthRefs', { where: and(HAD_ES, ES_DISCHARGED) }),
  count('EA136', 'Count_EndedESonly', { where: and(HAD_ES, 'coalesce(TreatmentCareContact_Count, 0) = 0', ES_DISCHARGED) }),

  // Referrals seen in the period: any appointment, NHS Talking Therapies only, ES only, both.
  count('EA036', 'Count_ApptInMonthRefs', { where: `(coalesce(Contact_AnyInPeriod, false) OR ${IET_IN_PERIOD})` }),
  count('EA037', 'Count_NHSTalkingTherapiesonlyApptInMonthRefs', { where: and(THERAPY_IN_PERIOD, `NOT ${ES_IN_PERIOD}`) }),
  count('EA038', 'Count_ESonlyApptInMonthRefs', { where: and(`NOT ${THERAPY_IN_PERIOD}`, ES_IN_PERIOD) }),
  count('EA039', 'Count_NHSTalkingTherapiesandESApptInMonthRefs', { where: and(THERAPY_IN_PERIOD, ES_IN_PERIOD) }),

  // ES appointments.
  count('EA108', 'Count_ApptsEAIncorrectlyLabelledFollowUp', { unit: 'contact', where: ((k) => and(k.inPeriod, k.attended, k.inReferral, k.es, eq(k.appType, FOLLOW_UP_APPOINTMENT)))(contactOf('src')) }),
  count('EA110', 'Count_ApptsEAIncorrectlyNotLabelledFollowUp', { unit: 'contact', where: ((k) => and(k.inPeriod, k.attended, `${k.day} > ${k.ended}`, k.es, ne(k.appType, FOLLOW_UP_APPOINTMENT)))(contactOf('src')) }),
  count('EA280', 'Count_ApptsEAIncorrectlyNotLabelledES', { unit: 'contact', where: ((k) => and(k.inPeriod, k.attended, `${k.day} > ${k.ended}`, k.es, ne(k.appType, EMPLOYMENT_SUPPORT_APPOINTMENT)))(contactOf('src')) }),
  count('EA131', 'Count_EndedEmploySuppAppts', { unit: 'contact', where: endedEsContact('src', `src.${ES_DISCHARGE_IN_PERIOD}`) }, ES_CONTACTS_NOTE),
  summary('mean', 'EA132', 'Mean_EndedEmploySuppAppts', 'EsContacts_Ended', ENDED_ES_CONTACTS, ES_CONTACTS_NOTE),
  summary('median', 'EA133', 'Median_EndedEmploySuppAppts', 'EsContacts_Ended', ENDED_ES_CONTACTS, ES_CONTACTS_NOTE),
  summary('max', 'EA134', 'Max_EndedEmploySuppAppts', 'EsContacts_Ended', ENDED_ES_CONTACTS, ES_CONTACTS_NOTE),

  // Wait from first assessment to first ES appointment.
  summary('mean', 'EA140', 'Mean_WaitEmploymentSupport', ES_WAIT, esWait),
  summary('median', 'EA281', 'Median_WaitEmploymentSupport', ES_WAIT, esWait),

  // Outcomes of finishers: NHS Talking Therapies only (M296–M305) and with ES (M306–M315).
  ...outcomes(296, 'NHSTalkingTherapiesOnly', TT_ONLY),
  ...outcomes(306, 'ES', ES_BEFORE_END),

  // Employment status of finishers at the start and end.
  ...byStatus(m, 316, 'Count_FinishedNHSTalkingTherapiesonlyStart', finishers(TT_ONLY), 'EmpStatus_FinisherFirst', STATUS_NOTE),
  ...byStatus(m, 320, 'Count_FinishedNHSTalkingTherapiesonlyEnd', finishers(TT_ONLY), 'EmpStatus_FinisherLast', STATUS_NOTE),
  ...byStatus(m, 324, 'Count_FinishedESStart', finishers(ES_BEFORE_END), 'EmpStatus_FinisherFirst', STATUS_NOTE),
  ...byStatus(m, 328, 'Count_FinishedESEnd', finishers(ES_BEFORE_END), 'EmpStatus_FinisherLast', STATUS_NOTE),
  // Of referrals ending ES in the period after ES and treatment, and of those starting ES.
  ...byStatus(ea, 50, 'Count_EndedESandNHSTalkingTherapiesStart', { where: ES_ENDED }, 'EmpStatus_EsEndedFirst', STATUS_NOTE),
  ...byStatus(ea, 54, 'Count_EndedESandNHSTalkingTherapiesEnd', { where: ES_ENDED }, 'EmpStatus_EsEndedLast', STATUS_NOTE),
  ...byStatus(ea, 276, 'Count_FirstESStart', { date: 'EmpSupport_FirstDate' }, 'EmpStatus_EsStartedLast', ES_STARTED_NOTE),

  // WSAS of finishers.
  ...workScores(58, 'ES', ES_BEFORE_END),
  ...workScores(83, 'NHSTalkingTherapiesonly', TT_ONLY),
  summary('mean', 'EA282', 'Mean_FinishedESWASASFirstPairedScores', wasasTotal('First'), finishers(ES_BEFORE_END, WASAS_PAIRED)),
  summary('mean', 'EA283', 'Mean_FinishedNHSTalkingTherapiesOnlyWASASFirstPairedScores', wasasTotal('First'), finishers(TT_ONLY, WASAS_PAIRED)),
  summary('mean', 'EA284', 'Mean_FinishedESWASASLastPairedScores', wasasTotal('Last'), finishers(ES_BEFORE_END, WASAS_PAIRED)),
  summary('mean', 'EA285', 'Mean_FinishedNHSTalkingTherapiesOnlyWASASLastPairedScores', wasasTotal('Last'), finishers(TT_ONLY, WASAS_PAIRED)),
];

export const EMPLOYMENT_GAPS: readonly Gap[] = [];
