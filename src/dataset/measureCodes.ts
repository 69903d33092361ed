// The codes NHS England's measure constructions count by (metadata_measures_monthly), named once here so that no
// measure types a code of its own: a measure names a code by its meaning in the code list (codeOf), or by its id in
// the tables below, which give the codes each construction lists. Every code is checked against its code list when
// this module loads.
import { APPOINTMENT_TYPES } from './codeLists.js';
import { codeOf, inCodeList } from './codes.js';

/** SourceOfReferral (IDS101 SourceOfReferralIAPT) codes of each referral-source count, as its construction lists them. */
export const REFERRAL_SOURCES = inCodeList('SourceOfReferral', {
  M002: ['B1'],
  M003: ['A1'],
  M004: ['A2'],
  M005: ['A3'],
  M006: ['B2'],
  M007: ['C1', 'C2', 'C3'],
  M008: ['D1', 'D2'],
  M009: ['E1', 'E2', 'E3', 'E4', 'E5', 'E6'],
  M010: ['F1', 'F2', 'F3'],
  M011: ['G1', 'G2', 'G3', 'G4'],
  M012: ['H1', 'H2'],
  M013: ['I1', 'I2'],
  M014: ['P1'],
  M017: ['M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7', 'M8'],
  M018: ['N1', 'N2', 'N4'],
  M287: ['Q1'],
  M345: ['A4'],
});

/** The EndCode of each count of referrals ended for a reason (M057–M070, M340–M344). */
export const END_CODES = inCodeList('EndCode', {
  M057: '10',
  M058: '11',
  M059: '12',
  M060: '13',
  M061: '14',
  M340: '16',
  M062: '17',
  M063: '95',
  M066: '46',
  M344: '47',
  M341: '48',
  M069: '49',
  M342: '50',
  M070: '96',
});

/** The AttendOrDNACode of each appointment count by attendance (M083–M088). */
export const ATTENDANCE_CODES = inCodeList('AttendOrDNACode', { M083: '2', M084: '3', M085: '4', M086: '5', M087: '6', M088: '7' });

/** The ConsMechanism of each count of attended appointments by consultation mechanism (M1001–M1008, M1018–M1020). */
export const CONSULTATION_MECHANISMS = inCodeList('ConsMechanism', {
  M1001: '01',
  M1002: '02',
  M1004: '04',
  M1005: '05',
  M1006: '09',
  M1007: '10',
  M1008: '98',
  M1018: '11',
  M1019: '12',
  M1020: '13',
});

/** AppType of a follow-up appointment after discharge (M099, EA108, EA110; the annual follow-up columns). */
export const FOLLOW_UP_APPOINTMENT: string = APPOINTMENT_TYPES.followUp[0];
/** AppType of an employment support appointment (EA280: "an appointment type that aren't 10 - Employment support"). */
export const EMPLOYMENT_SUPPORT_APPOINTMENT = codeOf('AppType', 'Employment support');

/** The code of `key` in a table above; throws for an id the table does not hold. */
export function codeFor<T extends string | readonly string[]>(table: Readonly<Record<string, T>>, key: string): T {
  const found = table[key];
  if (found === undefined) throw new Error(`no code for ${key}`);
  return found;
}

/**
 * 228557008 Cognitive and behavioral therapy: a second CBT code that the NHS constructions of M110 and the stepped-care
 * measures (M347–M367) count besides the CBT therapy type's own (src/dataset/therapies.ts).
 */
export const CBT_SECOND_CODE = '228557008';
