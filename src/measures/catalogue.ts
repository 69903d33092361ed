// The measure catalogue: every published measure as a declarative definition (ids and names exactly as
// NHS England publishes them: metadata_measures_monthly), compiled to SQL over the derived IDS101 table.
// Counts are of distinct PathwayID among rows used for the period (UsePathway_Flag).

export type MeasureDefinition =
  /** Distinct pathways whose `date` item falls in the period and that meet `where`. */
  | { id: string; name: string; statistic: 'count'; date: string; where?: string }
  /** 100 × numerator / denominator; the denominator is a sum of measures, each with a sign. */
  | { id: string; name: string; statistic: 'percentage'; numerator: string; denominator: readonly [string, ...string[]] }
  /** Mean of `of` over pathways whose `date` falls in the period and that meet `where`. */
  | { id: string; name: string; statistic: 'mean'; of: string; date: string; where?: string };

const FINISHED = 'CompletedTreatment_Flag';
const finished = (where?: string): string => (where ? `${FINISHED} AND ${where}` : FINISHED);
const WAIT = 'date_diff(\'day\', d(ReferralRequestReceivedDate), TherapySession_FirstDate)';

/** Core measures implemented so far (the rest of the 221 Core, LTC, EA and V measures follow). */
export const MEASURES: readonly MeasureDefinition[] = [
  { id: 'M001', name: 'Count_ReferralsReceived', statistic: 'count', date: 'd(ReferralRequestReceivedDate)' },
  { id: 'M023', name: 'Count_FirstAssessment', statistic: 'count', date: 'Assessment_FirstDate' },
  { id: 'M031', name: 'Count_AccessingServices', statistic: 'count', date: 'TherapySession_FirstDate' },
  { id: 'M036', name: 'Count_AccessingServices6Weeks', statistic: 'count', date: 'TherapySession_FirstDate', where: `${WAIT} <= 42` },
  { id: 'M037', name: 'Count_AccessingServices18Weeks', statistic: 'count', date: 'TherapySession_FirstDate', where: `${WAIT} <= 126` },
  { id: 'M056', name: 'Count_EndedReferrals', statistic: 'count', date: 'd(ServDischDate)' },
  { id: 'M073', name: 'Count_EndedNotSeen', statistic: 'count', date: 'd(ServDischDate)', where: 'coalesce(CareContact_Count, 0) = 0' },
  { id: 'M074', name: 'Count_EndedSeenNotTreated', statistic: 'count', date: 'd(ServDischDate)', where: 'coalesce(TreatmentCareContact_Count, 0) = 0 AND CareContact_Count > 0' },
  { id: 'M075', name: 'Count_EndedTreatedOnce', statistic: 'count', date: 'd(ServDischDate)', where: 'TreatmentCareContact_Count = 1' },
  { id: 'M076', name: 'Count_FinishedCourseTreatment', statistic: 'count', date: 'd(ServDischDate)', where: FINISHED },
  { id: 'M141', name: 'Mean_ApptsFinishedCourseTreatment', statistic: 'mean', of: 'TreatmentCareContact_Count', date: 'd(ServDischDate)', where: FINISHED },
  { id: 'M179', name: 'Count_NotAtCaseness', statistic: 'count', date: 'd(ServDischDate)', where: finished('NotCaseness_Flag') },
  { id: 'M180', name: 'Percentage_NotAtCaseness', statistic: 'percentage', numerator: 'M179', denominator: ['M076'] },
  { id: 'M185', name: 'Count_ReliableImprovement', statistic: 'count', date: 'd(ServDischDate)', where: finished('ReliableImprovement_Flag') },
  { id: 'M186', name: 'Percentage_ReliableImprovement', statistic: 'percentage', numerator: 'M185', denominator: ['M076'] },
  { id: 'M187', name: 'Count_NoReliableChange', statistic: 'count', date: 'd(ServDischDate)', where: finished('NoChange_Flag') },
  { id: 'M189', name: 'Count_ReliableDeterioration', statistic: 'count', date: 'd(ServDischDate)', where: finished('ReliableDeterioration_Flag') },
  { id: 'M1010', name: 'Percentage_ReliableDeterioration', statistic: 'percentage', numerator: 'M189', denominator: ['M076'] },
  { id: 'M191', name: 'Count_Recovery', statistic: 'count', date: 'd(ServDischDate)', where: finished('Recovery_Flag') },
  { id: 'M192', name: 'Percentage_Recovery', statistic: 'percentage', numerator: 'M191', denominator: ['M076', '-M179'] },
  { id: 'M193', name: 'Count_ReliableRecovery', statistic: 'count', date: 'd(ServDischDate)', where: finished('Recovery_Flag AND ReliableImprovement_Flag') },
  { id: 'M195', name: 'Percentage_ReliableRecovery', statistic: 'percentage', numerator: 'M193', denominator: ['M076', '-M179'] },
];
