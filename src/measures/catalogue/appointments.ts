// Appointments (metadata_measures_monthly M082–M088, M090–M111 with M108, M343, M346, M1001–M1020): care contacts in the
// period by attendance, by therapy type (their IDS202 activities), by consultation mechanism and by the
// qualification of the staff who delivered them; internet-enabled therapy; integrated (LTC) care each quarter.
import { eq, isIn, listValue, ne, notIn } from '../../core/sql.js';
import { codeList, THERAPY_TYPES } from '../../dataset/index.js';
import { ATTENDANCE_CODES, CBT_SECOND_CODE, codeFor, CONSULTATION_MECHANISMS, EMPLOYMENT_SUPPORT_APPOINTMENT, FOLLOW_UP_APPOINTMENT } from '../../dataset/measureCodes.js';
import { codeOf } from '../../dataset/codes.js';
import { ATTENDED_CONTACT, ENDED, FINISHED, TREATMENT_APPOINTMENT, and, type Gap, type MeasureDefinition, type ReferralItems, finishers } from '../definition.js';

const CONTACT_DATE = 'd(CareContDate)';
const inPeriod = (where?: string) => ({ unit: 'contact' as const, date: CONTACT_DATE, ...(where ? { where } : {}) });

/** All appointments in the period (M082). */
const ALL_APPOINTMENTS: MeasureDefinition = { id: 'M082', name: 'Count_Appointments', frequency: 'Monthly', statistic: 'count', ...inPeriod() };
/** Appointments in the period with the attendance code the measure counts. */
const attendance = (id: string, name: string): MeasureDefinition => ({ id, name, frequency: 'Monthly', statistic: 'count', ...inPeriod(eq('AttendOrDNACode', codeFor(ATTENDANCE_CODES, id))) });

const therapyCode = (countColumn: string): string => THERAPY_TYPES.find((t) => t.countColumn === countColumn)!.snomed;
const hasActivity = (codes: readonly string[]) => `list_has_any(Activities, ${listValue(codes)})`;

/** Attended (or unplanned) treatment appointments in the period with an activity of this therapy (or these codes). */
const therapyAppointments = (countColumn: string, ...moreCodes: string[]) => inPeriod(and(ATTENDED_CONTACT, TREATMENT_APPOINTMENT, hasActivity([therapyCode(countColumn), ...moreCodes])));
const therapy = (id: string, name: string, countColumn: string, ...moreCodes: string[]): MeasureDefinition => ({
  id,
  name,
  frequency: 'Monthly',
  statistic: 'count',
  ...therapyAppointments(countColumn, ...moreCodes),
});

const MECHANISMS = codeList('ConsMechanism').values.map((v) => v.code);
/** Attended (or unplanned) appointments with the consultation mechanism the measure counts. */
const mechanism = (id: string, name: string): MeasureDefinition => ({ id, name, frequency: 'Monthly', statistic: 'count', ...inPeriod(and(ATTENDED_CONTACT, eq('ConsMechanism', codeFor(CONSULTATION_MECHANISMS, id)))) });

// Staff qualification (M1014–M1017): the care professionals of a contact are those of its IDS202 activities;
// their NHS Talking Therapies qualifications are the IDS902 records with a QualAttainLevelIAPT level.
const IAPT_LEVEL = isIn('q.QualAttainLevelIAPT', codeList('QualAttainLevelIAPT').values.map((v) => v.code));
const qualification = (condition: string) =>
  `EXISTS (SELECT 1 FROM m_carePersQual q WHERE q.Unique_CarePersonnelID_Local = a.Unique_CarePersonnelID_Local AND ${IAPT_LEVEL} AND ${condition})`;
/** Qualified by the contact's date: a qualification awarded on or before it. */
const QUALIFIED = qualification('d(q.QualAwardedDate) <= d(src.CareContDate)');
/** In training: a qualification with a planned completion date. */
const TRAINING = qualification('filled(q.QualPlannedCompletionDate)');
const ANY_RECORD = 'EXISTS (SELECT 1 FROM m_carePersQual q WHERE q.Unique_CarePersonnelID_Local = a.Unique_CarePersonnelID_Local)';
/** Some care professional of the contact satisfies the condition. */
const staff = (condition: string) => `EXISTS (SELECT 1 FROM m_careActivity a WHERE a.Unique_CareContactID = src.Unique_CareContactID AND ${condition})`;
const byStaff = (id: string, name: string, condition: string, note?: string): MeasureDefinition => ({
  id,
  name,
  frequency: 'Monthly',
  statistic: 'count',
  ...inPeriod(and(ATTENDED_CONTACT, staff(condition))),
  ...(note ? { note } : {}),
});

// Employment support (M099): an employment support activity at a treatment appointment within the referral's
// span or at a follow-up after it, or an employment support appointment (AppType 10, or a follow-up with that
// activity) before the person's employment support discharge (IDS004, the latest such date of their records).
const EMPLOYMENT_SUPPORT = hasActivity(THERAPY_TYPES.filter((t) => t.intensity === 'employment').map((t) => t.snomed));
const IN_SPAN = `${CONTACT_DATE} BETWEEN d(ReferralRequestReceivedDate) AND coalesce(d(ServDischDate), $end)`;
const EMPLOYMENT_SUPPORT_END = '(SELECT max(coalesce(d(e.EmpSupportDischargeDate), $end)) FROM m_employmentStatus e WHERE e.PathwayID = src.PathwayID)';
const FOLLOW_UP = eq('AppType', FOLLOW_UP_APPOINTMENT);
const EMPLOYMENT_SUPPORT_CONTACT =
  `(${EMPLOYMENT_SUPPORT} AND ((${TREATMENT_APPOINTMENT} AND ${IN_SPAN}) OR (${FOLLOW_UP} AND ${CONTACT_DATE} > d(ServDischDate)))) ` +
  `OR ((${eq('AppType', EMPLOYMENT_SUPPORT_APPOINTMENT)} OR (${EMPLOYMENT_SUPPORT} AND ${FOLLOW_UP})) AND ${CONTACT_DATE} BETWEEN d(ReferralRequestReceivedDate) AND ${EMPLOYMENT_SUPPORT_END})`;

// Integrated (long-term condition) care: attended or unplanned, not a follow-up, within the referral's span.
const INTEGRATED_BASE = and(ne('AppType', FOLLOW_UP_APPOINTMENT), ATTENDED_CONTACT, IN_SPAN);

/** Per referral: the minutes of its internet-enabled therapy log entries (IDS205 DurationIntEnabledTher). */
export const INTERNET_MINUTES_ITEMS: ReferralItems = {
  name: 'internetMinutes',
  needs: ['internetLog'],
  columns: { InternetEnabledTherapy_Minutes: 'DOUBLE' },
  sql: 'SELECT PathwayID, sum(try_cast(DurationIntEnabledTher AS DOUBLE)) AS InternetEnabledTherapy_Minutes FROM m_internetLog GROUP BY PathwayID',
};

export const APPOINTMENTS: readonly MeasureDefinition[] = [
  ALL_APPOINTMENTS,
  attendance('M083', 'Count_ApptsCancelledPatient'),
  attendance('M084', 'Count_ApptsDNA'),
  attendance('M085', 'Count_ApptsCancelledProvider'),
  attendance('M086', 'Count_ApptsAttended'),
  attendance('M087', 'Count_ApptsAttendedLate'),
  attendance('M088', 'Count_ApptsLateNotSeen'),

  therapy('M090', 'Count_GuideSelfHelpBookAppts', 'GuidedSelfHelp_Book_Count'),
  therapy('M091', 'Count_NonGuideSelfHelpBookAppts', 'NonGuidedSelfHelp_Book_Count'),
  therapy('M092', 'Count_GuideSelfHelpCompAppts', 'GuidedSelfHelp_Computer_Count'),
  therapy('M093', 'Count_NonGuideSelfHelpCompAppts', 'NonGuidedSelfHelp_Computer_Count'),
  therapy('M095', 'Count_StructPhysActAppts', 'StructuredPhysicalActivity_Count'),
  therapy('M097', 'Count_PsychoEducPeerSuppAppts', 'PsychoeducationalPeerSupport_Count'),
  therapy('M098', 'Count_OtherLIAppts', 'OtherLowIntensity_Count'),
  {
    id: 'M099',
    name: 'Count_EmploySuppAppts',
    frequency: 'Monthly',
    statistic: 'count',
    ...inPeriod(and(ATTENDED_CONTACT, `(${EMPLOYMENT_SUPPORT_CONTACT})`)),
    note: "AppType 10 as the construction has it (our AppType code list, inferred, has 07 for employment support). The IDS004 bound needs an IDS004 record of the person: the construction joins IDS004, and with several records the contact counts when it is before any one's discharge date (or the period end where a record has none).",
  },
  therapy('M100', 'Count_AppRelaxAppts', 'AppliedRelaxation_Count'),
  therapy('M102', 'Count_CoupleTherapyDepAppts', 'CouplesTherapyDepression_Count'),
  therapy('M103', 'Count_CollabCareAppts', 'CollaborativeCare_Count'),
  therapy('M104', 'Count_CounselDepAppts', 'CounsellingDepression_Count'),
  therapy('M105', 'Count_BPDAppts', 'BriefPsychodynamicPsychotherapy_Count'),
  therapy('M106', 'Count_EyeMoveDesenReproAppts', 'EyeMovementDesensitisationReprocessing_Count'),
  therapy('M107', 'Count_MindfulAppts', 'Mindfulness_Count'),
  {
    id: 'M108',
    name: 'Count_OtherHIAppts',
    frequency: 'Monthly',
    statistic: 'total',
    terms: [therapyAppointments('OtherHighIntensity_Count'), 'M343'],
    note: 'Other high intensity appointments plus the internet-enabled therapy log entries ending in the period (M343), as the construction adds them.',
  },
  therapy('M110', 'Count_CBTAppts', 'CognitiveBehaviourTherapy_Count', CBT_SECOND_CODE),
  therapy('M111', 'Count_IPTAppts', 'InterpersonalPsychotherapy_Count'),
  therapy('M346', 'Count_CommunitySignpostingAppts', 'CommunitySignPosting_Count'),
  {
    id: 'M343',
    name: 'Count_InternetEnabledTherapySessions',
    frequency: 'Monthly',
    statistic: 'count',
    unit: 'internetLog',
    distinct: 'UniqueID_IDS205',
    date: 'd(EndDateIntEnabledTherLog)',
  },

  mechanism('M1001', 'Count_FacetoFaceAppts'),
  mechanism('M1002', 'Count_TelephoneAppts'),
  mechanism('M1004', 'Count_TalktypeAppts'),
  mechanism('M1005', 'Count_EmailAppts'),
  mechanism('M1006', 'Count_SMSAppts'),
  mechanism('M1007', 'Count_InstantMessagingAppts'),
  mechanism('M1008', 'Count_ConsMediumOtherAppts'),
  mechanism('M1018', 'Count_ConsMediumVideoConsultAppts'),
  mechanism('M1019', 'Count_ConsMediumMessageBoardAppts'),
  mechanism('M1020', 'Count_ConsMediumChatRoomAppts'),
  {
    id: 'M1009',
    name: 'Count_ConsMediumUnknownAppts',
    frequency: 'Monthly',
    statistic: 'count',
    ...inPeriod(and(ATTENDED_CONTACT, `(ConsMechanism IS NULL OR ${notIn('ConsMechanism', MECHANISMS)})`)),
    note: "Valid codes: the data set's ConsMechanism code list, the same ten codes as the NHS construction.",
  },

  {
    id: 'M1011',
    name: 'Percentage_LTCAppts',
    frequency: 'Quarterly',
    statistic: 'percentage',
    numerator: [inPeriod(and(INTEGRATED_BASE, eq('IAPTLTCServiceInd', codeOf('YesNo', 'Yes'))))],
    denominator: [inPeriod(INTEGRATED_BASE)],
  },
  {
    id: 'M1012',
    name: 'Percentage_LTCApptsFinishedCourseTreatment',
    frequency: 'Quarterly',
    statistic: 'percentage',
    numerator: [finishers('IntegratedContact_FirstDate IS NOT NULL')],
    denominator: ['M076'],
  },
  {
    id: 'M1013',
    name: 'Mean_ContactTimeIETReferral',
    frequency: 'Quarterly',
    statistic: 'mean',
    of: 'InternetEnabledTherapy_Minutes',
    date: ENDED,
    where: FINISHED,
    note: 'Over the finishers with internet-enabled therapy log entries (the construction joins IDS205, so a finisher without one has no total and is not averaged).',
  },

  byStaff('M1014', 'Count_ApptsStaffQualified', QUALIFIED),
  byStaff('M1015', 'Count_ApptsStaffInTraining', `${TRAINING} AND NOT ${QUALIFIED}`),
  byStaff(
    'M1016',
    'Count_ApptsStaffNotQualifiedOrInTraining',
    `${ANY_RECORD} AND NOT ${QUALIFIED} AND NOT ${TRAINING}`,
    'Not in training as in M1015 (no NHS Talking Therapies qualification with a planned completion date). The construction excludes only planned completion dates on or before the contact, which would count staff whose training ends later as neither.',
  ),
  byStaff(
    'M1017',
    'Count_ApptsMissingQualificationsAndTraining',
    `NOT ${ANY_RECORD}`,
    "A care professional of one of the contact's IDS202 activities (or an activity without one) has no IDS902 record; a contact without activities has no staff recorded and is not counted.",
  ),
];

export const APPOINTMENTS_GAPS: readonly Gap[] = [];
