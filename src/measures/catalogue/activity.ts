// Referrals, access and endings (metadata_measures_monthly M001–M081 less the waits in waits.ts, M141, M153,
// M184, M287, M288, M340–M345): referrals by source, first assessment and treatment, endings by reason and
// by how far the referral got.
import { eq, isIn, notIn } from '../../core/sql.js';
import { codeList } from '../../dataset/index.js';
import { codeFor, END_CODES, REFERRAL_SOURCES } from '../../dataset/measureCodes.js';
import { ENDED, FINISHED, FIRST_TREATMENT, RECEIVED, SECOND_TREATMENT, WAIT, type Gap, type MeasureDefinition } from '../definition.js';

/** Referrals received in the period from the sources the measure counts (codes as its NHS construction lists them). */
const referredBy = (id: string, name: string): MeasureDefinition => ({ id, name, frequency: 'Monthly', statistic: 'count', date: RECEIVED, where: isIn('SourceOfReferralIAPT', codeFor(REFERRAL_SOURCES, id)) });
/** Referrals ended in the period for the reason the measure counts. */
const endedWith = (id: string, name: string): MeasureDefinition => ({ id, name, frequency: 'Monthly', statistic: 'count', date: ENDED, where: eq('EndCode', codeFor(END_CODES, id)) });
const VALID_END_CODES = codeList('EndCode').values.map((v) => v.code);

export const ACTIVITY: readonly MeasureDefinition[] = [
  { id: 'M001', name: 'Count_ReferralsReceived', frequency: 'Monthly/Quarterly', statistic: 'count', date: RECEIVED },
  referredBy('M002', 'Count_SelfReferrals'),
  referredBy('M003', 'Count_GPReferrals'),
  referredBy('M004', 'Count_HealthVisitorReferrals'),
  referredBy('M005', 'Count_OtherPrimaryCareReferrals'),
  referredBy('M006', 'Count_CarerReferrals'),
  referredBy('M007', 'Count_LAReferrals'),
  referredBy('M008', 'Count_EmployerReferrals'),
  referredBy('M009', 'Count_JusticeSystemReferrals'),
  referredBy('M010', 'Count_ChildHealthReferrals'),
  referredBy('M011', 'Count_IndependentVoluntaryReferrals'),
  referredBy('M012', 'Count_SecondaryCareReferrals'),
  referredBy('M013', 'Count_OtherMHReferrals'),
  referredBy('M014', 'Count_InternalReferrals'),
  referredBy('M017', 'Count_OtherReferrals'),
  referredBy('M018', 'Count_NHSTalkingTherapiesReferrals'),
  referredBy('M287', 'Count_MHDropInReferrals'),
  referredBy('M345', 'Count_MaternityServiceReferrals'),

  { id: 'M023', name: 'Count_FirstAssessment', frequency: 'Monthly', statistic: 'count', date: 'Assessment_FirstDate' },
  { id: 'M028', name: 'Count_EndedBeforeAssessment', frequency: 'Monthly', statistic: 'count', date: ENDED, where: 'Assessment_FirstDate IS NULL' },
  { id: 'M031', name: 'Count_AccessingServices', frequency: 'Monthly/Quarterly', statistic: 'count', date: FIRST_TREATMENT },
  { id: 'M036', name: 'Count_AccessingServices6Weeks', frequency: 'Monthly', statistic: 'count', date: FIRST_TREATMENT, where: `${WAIT} <= 42` },
  { id: 'M037', name: 'Count_AccessingServices18Weeks', frequency: 'Monthly', statistic: 'count', date: FIRST_TREATMENT, where: `${WAIT} <= 126` },
  { id: 'M184', name: 'Count_SecondTreatment', frequency: 'Monthly/Quarterly', statistic: 'count', date: SECOND_TREATMENT },

  { id: 'M056', name: 'Count_EndedReferrals', frequency: 'Monthly/Quarterly', statistic: 'count', date: ENDED },
  endedWith('M057', 'Count_EndedNotSuitable'),
  endedWith('M058', 'Count_EndedSignposted'),
  endedWith('M059', 'Count_EndedMutualAgreement'),
  endedWith('M060', 'Count_EndedReferredElsewhere'),
  endedWith('M061', 'Count_EndedDeclined'),
  endedWith('M340', 'Count_EndedIncompleteAssessment'),
  endedWith('M062', 'Count_EndedDeceasedAssessedOnly'),
  endedWith('M063', 'Count_EndedUnknownAssessedOnly'),
  endedWith('M066', 'Count_EndedCompleted'),
  endedWith('M344', 'Count_EndedBeforeCareProfessionalPlanned'),
  endedWith('M341', 'Count_EndedBeforePatientRequested'),
  endedWith('M069', 'Count_EndedDeceasedTreated'),
  endedWith('M342', 'Count_EndedNotAssessed'),
  endedWith('M070', 'Count_EndedUnknownTreated'),
  { id: 'M071', name: 'Count_EndedInvalid', frequency: 'Monthly', statistic: 'count', date: ENDED, where: `EndCode IS NOT NULL AND ${notIn('EndCode', VALID_END_CODES)}`, note: "Valid codes: the data set's EndCode code list, the same 14 codes as the NHS construction." },
  { id: 'M072', name: 'Count_EndedNoReasonRecorded', frequency: 'Monthly', statistic: 'count', date: ENDED, where: 'EndCode IS NULL' },

  { id: 'M073', name: 'Count_EndedNotSeen', frequency: 'Monthly', statistic: 'count', date: ENDED, where: 'coalesce(CareContact_Count, 0) = 0' },
  { id: 'M074', name: 'Count_EndedSeenNotTreated', frequency: 'Monthly', statistic: 'count', date: ENDED, where: 'coalesce(TreatmentCareContact_Count, 0) = 0 AND CareContact_Count > 0' },
  { id: 'M075', name: 'Count_EndedTreatedOnce', frequency: 'Monthly/Quarterly', statistic: 'count', date: ENDED, where: 'TreatmentCareContact_Count = 1' },
  { id: 'M076', name: 'Count_FinishedCourseTreatment', frequency: 'Monthly/Quarterly', statistic: 'count', date: ENDED, where: FINISHED },
  { id: 'M153', name: 'Count_EndedBeforeTreatment', frequency: 'Monthly', statistic: 'count', date: ENDED, where: `${FIRST_TREATMENT} IS NULL` },
  { id: 'M077', name: 'Percentage_EndedBeforeTreatment', frequency: 'Monthly', statistic: 'percentage', numerator: ['M153'], denominator: ['M056'] },
  { id: 'M078', name: 'Percentage_ EndedTreatedOnce', frequency: 'Monthly', statistic: 'percentage', numerator: ['M075'], denominator: ['M056'] },
  { id: 'M079', name: 'Percentage_EndedFinishedCourseTreatment', frequency: 'Monthly', statistic: 'percentage', numerator: ['M076'], denominator: ['M056'] },
  { id: 'M080', name: 'Percentage_EndedOneOrMoreTreatment', frequency: 'Monthly', statistic: 'percentage', numerator: ['M076', 'M075'], denominator: ['M056'] },
  { id: 'M081', name: 'Percentage_FinishedCourseTreatmentEndedOneOrMoreTreatment', frequency: 'Monthly', statistic: 'percentage', numerator: ['M076'], denominator: ['M056', '-M153'] },
  { id: 'M288', name: 'Percentage_AccessAttrition', frequency: 'Monthly', statistic: 'percentage', numerator: ['M075'], denominator: ['M056', '-M153'] },
  { id: 'M141', name: 'Mean_ApptsFinishedCourseTreatment', frequency: 'Monthly/Quarterly', statistic: 'mean', of: 'TreatmentCareContact_Count', date: ENDED, where: FINISHED },
];

export const ACTIVITY_GAPS: readonly Gap[] = [];
