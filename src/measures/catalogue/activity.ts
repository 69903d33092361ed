// Referrals, access, waits and endings (metadata_measures_monthly M001–M089, M121–M153, M184, M287–M345).
import { ENDED, FINISHED, FIRST_TREATMENT, RECEIVED, WAIT, type Gap, type MeasureDefinition } from '../definition.js';

export const ACTIVITY: readonly MeasureDefinition[] = [
  { id: 'M001', name: 'Count_ReferralsReceived', frequency: 'Monthly/Quarterly', statistic: 'count', date: RECEIVED },
  { id: 'M023', name: 'Count_FirstAssessment', frequency: 'Monthly', statistic: 'count', date: 'Assessment_FirstDate' },
  { id: 'M031', name: 'Count_AccessingServices', frequency: 'Monthly/Quarterly', statistic: 'count', date: FIRST_TREATMENT },
  { id: 'M036', name: 'Count_AccessingServices6Weeks', frequency: 'Monthly', statistic: 'count', date: FIRST_TREATMENT, where: `${WAIT} <= 42` },
  { id: 'M037', name: 'Count_AccessingServices18Weeks', frequency: 'Monthly', statistic: 'count', date: FIRST_TREATMENT, where: `${WAIT} <= 126` },
  { id: 'M056', name: 'Count_EndedReferrals', frequency: 'Monthly/Quarterly', statistic: 'count', date: ENDED },
  { id: 'M073', name: 'Count_EndedNotSeen', frequency: 'Monthly', statistic: 'count', date: ENDED, where: 'coalesce(CareContact_Count, 0) = 0' },
  { id: 'M074', name: 'Count_EndedSeenNotTreated', frequency: 'Monthly', statistic: 'count', date: ENDED, where: 'coalesce(TreatmentCareContact_Count, 0) = 0 AND CareContact_Count > 0' },
  { id: 'M075', name: 'Count_EndedTreatedOnce', frequency: 'Monthly/Quarterly', statistic: 'count', date: ENDED, where: 'TreatmentCareContact_Count = 1' },
  { id: 'M076', name: 'Count_FinishedCourseTreatment', frequency: 'Monthly/Quarterly', statistic: 'count', date: ENDED, where: FINISHED },
  { id: 'M141', name: 'Mean_ApptsFinishedCourseTreatment', frequency: 'Monthly/Quarterly', statistic: 'mean', of: 'TreatmentCareContact_Count', date: ENDED, where: FINISHED },
];

export const ACTIVITY_GAPS: readonly Gap[] = [];
