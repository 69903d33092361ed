// What counts as an attended contact and as a treatment appointment: one definition, used by the derivations
// (src/derivation/pathway.ts: CareContact_Count, TreatmentCareContact_Count, TherapySession_*) and by the
// measures (src/measures/definition.ts), so the two can never disagree. Internet-enabled therapy log entries
// count as treatment sessions too: see derivePathways.
import { eq, isIn } from '../core/sql.js';
import { APPOINTMENT_TYPES, ATTENDED_CODES } from './codeLists.js';

/** The PLANNED CARE CONTACT INDICATOR value of an unplanned contact, which carries no attendance code. */
export const UNPLANNED_CONTACT = 'N';

const column = (alias: string | undefined, name: string): string => `${alias ? `${alias}.` : ''}${name}`;

/**
 * SQL: the IDS201 contact was attended — `AttendOrDNACode` 5 or 6, or `PlannedCareContIndicator = 'N'`
 * (NHS England metadata M090–M111, EA036: "AttendOrDNACode = 5 or 6 or PlannedCareContIndicator = 'N'").
 * `alias` qualifies the columns.
 */
export const attendedContactSql = (alias?: string): string =>
  `(${isIn(column(alias, 'AttendOrDNACode'), ATTENDED_CODES)} OR ${eq(column(alias, 'PlannedCareContIndicator'), UNPLANNED_CONTACT)})`;

/** SQL: the contact's appointment type bears treatment (AppType 02, 03 or 05; M090–M111). */
export const treatmentTypeSql = (alias?: string): string => isIn(column(alias, 'AppType'), APPOINTMENT_TYPES.treatment);

/** SQL: the contact's appointment type is an assessment (AppType 01, 03 or 04). */
export const assessmentTypeSql = (alias?: string): string => isIn(column(alias, 'AppType'), APPOINTMENT_TYPES.assessment);
