// Differences between IAPT v2.0 and v2.1, so that v2.0 files can be read and uplifted to the v2.1 shape
// (reference §1, §3 "v2.0 → v2.1 changes", from comparing the two NHS Digital submission_constants files).
import { an, anExact } from './formats.js';
import type { ItemSpec, TableName } from './types.js';

/** Items renamed in v2.1 (same UID): a v2.0 column maps straight onto the v2.1 one. */
export const RENAMED_IN_V21: readonly { table: TableName; v20: string; v21: string; uid: string; v20Element: string }[] = [
  { table: 'IDS101Referral', v20: 'SourceOfReferralMH', v21: 'SourceOfReferralIAPT', uid: 'I101030', v20Element: 'SOURCE OF REFERRAL FOR MENTAL HEALTH' },
  { table: 'IDS201CareContact', v20: 'ConsMediumUsed', v21: 'ConsMechanism', uid: 'I201070', v20Element: 'CONSULTATION MEDIUM USED' },
];

/** Items present in v2.0 and removed in v2.1: read from a v2.0 file, then dropped by the uplift. */
export const REMOVED_IN_V21: readonly { table: TableName; item: Omit<ItemSpec, 'rules'> & { rules: readonly string[] } }[] = [
  { table: 'IDS001MPI', item: { name: 'OrgIDResidenceResp', uid: 'I001180', element: 'ORGANISATION IDENTIFIER (RESIDENCE RESPONSIBILITY)', type: 'string', format: an(5, 3), mandation: 'O', rules: [] } },
  { table: 'IDS002GP', item: { name: 'OrgIDGPPrac', uid: 'I002050', element: 'ORGANISATION IDENTIFIER (GP PRACTICE RESPONSIBILITY)', type: 'string', format: an(5, 3), mandation: 'O', rules: [] } },
  { table: 'IDS004EmpStatus', item: { name: 'JSAInd', uid: 'I004100', element: "JOBSEEKER'S ALLOWANCE RECEIPT INDICATOR", type: 'string', format: anExact(1), mandation: 'O', codeList: 'YesNoUnknown', rules: [] } },
  { table: 'IDS004EmpStatus', item: { name: 'OtherBenefitInd', uid: 'I004140', element: 'OTHER BENEFIT RECEIPT INDICATOR', type: 'string', format: anExact(1), mandation: 'O', codeList: 'YesNoUnknown', rules: [] } },
];

/** Tables new in v2.1: a v2.0 file has none, and the uplift leaves them empty. */
export const TABLES_NEW_IN_V21: readonly TableName[] = ['IDS003AccommStatus', 'IDS601MedHistPrevDiag'];
