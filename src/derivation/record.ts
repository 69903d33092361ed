// Record-level derived items that need no identifiable data (reference §7.1, §4.1, §4.4).

/**
 * Validated code of a coded clinical entry (`MatchCleanICD10Code`): scheme 04 (SNOMED CT) passes through;
 * scheme 01 (ICD-10) is stripped of non-alphanumerics and upper-cased; a 3-character code gets 'X' appended,
 * longer codes are kept; anything not shaped like ICD-10 becomes '-3'. The NHS also checks the code against
 * the ICD-10 list (3-character codes that are not valid with X get 9); that list is not available here, so
 * the shape alone decides (docs/derivations.md).
 */
export function validatedCodeSql(scheme: string, code: string): string {
  const clean = `regexp_replace(upper(${code}), '[^A-Z0-9]', '', 'g')`;
  return (
    `CASE WHEN ${scheme} IS NULL OR ${code} IS NULL OR trim(${code}) = '' THEN NULL WHEN ${scheme} = '04' THEN ${code} ` +
    `WHEN regexp_full_match(${clean}, '[A-Z][0-9]{2}') THEN ${clean} || 'X' ` +
    `WHEN regexp_full_match(${clean}, '[A-Z][0-9]{2}[0-9A-Z]{1,4}') THEN ${clean} ELSE '-3' END`
  );
}

/** Validated_EthnicCategory: blank or '0' → '-1'; a valid letter → itself; '9'/'99' → '99'; else '-3'. */
export function validatedEthnicSql(code: string): string {
  return `CASE WHEN ${code} IS NULL OR trim(${code}) IN ('', '0') THEN '-1' WHEN trim(${code}) IN ('9', '99') THEN '99' WHEN trim(${code}) IN ('A','B','C','D','E','F','G','H','J','K','L','M','N','P','R','S','Z') THEN trim(${code}) ELSE '-3' END`;
}
