// Referrals, access and endings (metadata_measures_monthly M001–M081 less the waits in waits.ts, M141, M153,
// M184, M287, M288, M340–M345): referrals by source, first assessment and treatment, endings by reason and
// by how far the referral got.
import { codeList } from '../../dataset/index.js';
import { ENDED, FINISHED, FIRST_TREATMENT, RECEIVED, SECOND_TREATMENT, WAIT, sqlList, type Gap, type MeasureDefinition } from '../definition.js';

/** Referrals received in the period from these sources (codes as each NHS construction lists them). */
const referredBy = (...codes: string[]) => ({ date: RECEIVED, where: `SourceOfReferralIAPT IN (${sqlList(codes)})` });
const endedWith = (code: string) => ({ date: ENDED, where: `EndCode = '${code}'` });
const END_CODES = codeList('EndCode').values.map((v) => v.code);

export const ACTIVITY: readonly MeasureDefinition[] = [
  { id: 'M001', name: 'Count_ReferralsReceived', frequency: 'Monthly/Quarterly', statistic: 'count', date: RECEIVED },
  { id: 'M002', name: 'Count_SelfReferrals', frequency: 'Monthly', statistic: 'count', ...referredBy('B1') },
  { id: 'M003', name: 'Count_GPReferrals', frequency: 'Monthly', statistic: 'count', ...referredBy('A1') },
  { id: 'M004', name: 'Count_HealthVisitorReferrals', frequency: 'Monthly', statistic: 'count', ...referredBy('A2') },
  { id: 'M005', name: 'Count_OtherPrimaryCareReferrals', frequency: 'Monthly', statistic: 'count', ...referredBy('A3') },
  { id: 'M006', name: 'Count_CarerReferrals', frequency: 'Monthly', statistic: 'count', ...referredBy('B2') },
  { id: 'M007', name: 'Count_LAReferrals', frequency: 'Monthly', statistic: 'count', ...referredBy('C1', 'C2', 'C3') },
  { id: 'M008', name: 'Count_EmployerReferrals', frequency: 'Monthly', statistic: 'count', ...referredBy('D1', 'D2') },
  { id: 'M009', name: 'Count_JusticeSystemReferrals', frequency: 'Monthly', statistic: 'count', ...referredBy('E1', 'E2', 'E3', 'E4', 'E5', 'E6') },
  { id: 'M010', name: 'Count_ChildHealthReferrals', frequency: 'Monthly', statistic: 'count', ...referredBy('F1', 'F2', 'F3') },
  { id: 'M011', name: 'Count_IndependentVoluntaryReferrals', frequency: 'Monthly', statistic: 'count', ...referredBy('G1', 'G2', 'G3', 'G4') },
  { id: 'M012', name: 'Count_SecondaryCareReferrals', frequency: 'Monthly', statistic: 'count', ...referredBy('H1', 'H2') },
  { id: 'M013', name: 'Count_OtherMHReferrals', frequency: 'Monthly', statistic: 'count', ...referredBy('I1', 'I2') },
  { id: 'M014', name: 'Count_InternalReferrals', frequency: 'Monthly', statistic: 'count', ...referredBy('P1') },
  { id: 'M017', name: 'Count_OtherReferrals', frequency: 'Monthly', statistic: 'count', ...referredBy('M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7', 'M8') },
  { id: 'M018', name: 'Count_NHSTalkingTherapiesReferrals', frequency: 'Monthly', statistic: 'count', ...referredBy('N1', 'N2', 'N4') },
  { id: 'M287', name: 'Count_MHDropInReferrals', frequency: 'Monthly', statistic: 'count', ...referredBy('Q1') },
  { id: 'M345', name: 'Count_MaternityServiceReferrals', frequency: 'Monthly', statistic: 'count', ...referredBy('A4') },

  { id: 'M023', name: 'Count_FirstAssessment', frequency: 'Monthly', statistic: 'count', date: 'Assessment_FirstDate' },
  { id: 'M028', name: 'Count_EndedBeforeAssessment', frequency: 'Monthly', statistic: 'count', date: ENDED, where: 'Assessment_FirstDate IS NULL' },
  { id: 'M031', name: 'Count_AccessingServices', frequency: 'Monthly/Quarterly', statistic: 'count', date: FIRST_TREATMENT },
  { id: 'M036', name: 'Count_AccessingServices6Weeks', frequency: 'Monthly', statistic: 'count', date: FIRST_TREATMENT, where: `${WAIT} <= 42` },
  { id: 'M037', name: 'Count_AccessingServices18Weeks', frequency: 'Monthly', statistic: 'count', date: FIRST_TREATMENT, where: `${WAIT} <= 126` },
  { id: 'M184', name: 'Count_SecondTreatment', frequency: 'Monthly/Quarterly', statistic: 'count', date: SECOND_TREATMENT },

  { id: 'M056', name: 'Count_EndedReferrals', frequency: 'Monthly/Quarterly', statistic: 'count', date: ENDED },
  { id: 'M057', name: 'Count_EndedNotSuitable', frequency: 'Monthly', statistic: 'count', ...endedWith('10') },
  { id: 'M058', name: 'Count_EndedSignposted', frequency: 'Monthly', statistic: 'count', ...endedWith('11') },
  { id: 'M059', name: 'Count_EndedMutualAgreement', frequency: 'Monthly', statistic: 'count', ...endedWith('12') },
  { id: 'M060', name: 'Count_EndedReferredElsewhere', frequency: 'Monthly', statistic: 'count', ...endedWith('13') },
  { id: 'M061', name: 'Count_EndedDeclined', frequency: 'Monthly', statistic: 'count', ...endedWith('14') },
  { id: 'M340', name: 'Count_EndedIncompleteAssessment', frequency: 'Monthly', statistic: 'count', ...endedWith('16') },
  { id: 'M062', name: 'Count_EndedDeceasedAssessedOnly', frequency: 'Monthly', statistic: 'count', ...endedWith('17') },
  { id: 'M063', name: 'Count_EndedUnknownAssessedOnly', frequency: 'Monthly', statistic: 'count', ...endedWith('95') },
  { id: 'M066', name: 'Count_EndedCompleted', frequency: 'Monthly', statistic: 'count', ...endedWith('46') },
  { id: 'M344', name: 'Count_EndedBeforeCareProfessionalPlanned', frequency: 'Monthly', statistic: 'count', ...endedWith('47') },
  { id: 'M341', name: 'Count_EndedBeforePatientRequested', frequency: 'Monthly', statistic: 'count', ...endedWith('48') },
  { id: 'M069', name: 'Count_EndedDeceasedTreated', frequency: 'Monthly', statistic: 'count', ...endedWith('49') },
  { id: 'M342', name: 'Count_EndedNotAssessed', frequency: 'Monthly', statistic: 'count', ...endedWith('50') },
  { id: 'M070', name: 'Count_EndedUnknownTreated', frequency: 'Monthly', statistic: 'count', ...endedWith('96') },
  { id: 'M071', name: 'Count_EndedInvalid', frequency: 'Monthly', statistic: 'count', date: ENDED, where: `EndCode IS NOT NULL AND EndCode NOT IN (${sqlList(END_CODES)})`, note: "Valid codes: the data set's EndCode code list, the same 14 codes as the NHS construction." },
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
