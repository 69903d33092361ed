// Single codes of the spec's code lists that validation rules test for by their meaning (a status, a scheme, a
// cancellation). Each is looked up in its list when this module loads, so a code that leaves its list fails at
// once instead of leaving a rule that can never fire.
import { specCode } from './codes.js';

/** NHSNumberStatus: present and verified, present but not traced (IDS00161), not present and no trace required (IDS00117). */
export const NHS_NUMBER_STATUS = {
  presentVerified: specCode('NHSNumberStatus', '01'),
  presentNotTraced: specCode('NHSNumberStatus', '02'),
  notPresentNoTrace: specCode('NHSNumberStatus', '07'),
} as const;

/** AttendOrDNACode of an appointment cancelled by, or on behalf of, the patient (IDS20166, IDS20167). */
export const CANCELLED_BY_PATIENT = specCode('AttendOrDNACode', '2');

/** EmpSupportInd: suitable for employment support (IDS00435). */
export const EMP_SUPPORT_SUITABLE = specCode('EmpSupportInd', 'Y');

/** FindSchemeInUse / DiagSchemeInUse: the coding scheme of a finding or diagnosis (IDS20228, IDS60108, IDS60209, IDS60310). */
export const FINDING_SCHEME = {
  icd10: specCode('FindSchemeInUse', '01'),
  snomedCt: specCode('FindSchemeInUse', '04'),
} as const;

/** DatSetVer of a v2.0 submission, read and uplifted to v2.1 (IDS00005). */
export const DATA_SET_V20 = specCode('DataSetVersion', '2.0');
