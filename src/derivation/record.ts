// Record-level derived items that need no identifiable data (reference §7.1, §4.1, §4.4).
import { DERIVED_INVALID, DERIVED_MISSING, SNOMED_CT_SCHEME, VALIDATED_ETHNIC_CATEGORY as ETHNIC } from '../dataset/derivation.js';
import { caseWhen, eq, isIn, literal } from '../core/sql.js';

/**
 * Validated code of a coded clinical entry (`MatchCleanICD10Code`): scheme 04 (SNOMED CT) passes through;
 * scheme 01 (ICD-10) is stripped of non-alphanumerics and upper-cased; a 3-character code gets 'X' appended,
 * longer codes are kept; anything not shaped like ICD-10 becomes '-3'. The NHS also checks the code against
 * the ICD-10 list (3-character codes that are not valid with X get 9); that list is not available here, so
 * the shape alone decides (docs/derivations.md).
 */
export function validatedCodeSql(scheme: string, code: string): string {
  const clean = `regexp_replace(upper(${code}), '[^A-Z0-9]', '', 'g')`;
  return caseWhen(
    [
      [`${scheme} IS NULL OR ${code} IS NULL OR trim(${code}) = ''`, 'NULL'],
      [eq(scheme, SNOMED_CT_SCHEME), code],
      [`regexp_full_match(${clean}, '[A-Z][0-9]{2}')`, `${clean} || 'X'`],
      [`regexp_full_match(${clean}, '[A-Z][0-9]{2}[0-9A-Z]{1,4}')`, clean],
    ],
    literal(DERIVED_INVALID),
  );
}

/** Validated_EthnicCategory: blank or '0' → '-1'; '9'/'99' → '99'; a code of the list → itself; else '-3'. */
export function validatedEthnicSql(code: string): string {
  const trimmed = `trim(${code})`;
  return caseWhen(
    [
      [`${code} IS NULL OR ${isIn(trimmed, ETHNIC.missingForms)}`, literal(DERIVED_MISSING)],
      [isIn(trimmed, ETHNIC.notKnownForms), literal(ETHNIC.notKnown)],
      [isIn(trimmed, ETHNIC.kept), trimmed],
    ],
    literal(DERIVED_INVALID),
  );
}
