// Value checks defined by the data set itself, shared by validation and the synthetic generator.

/**
 * UK postcode pattern used by NHS Digital for IDSREJ007 (reference §3, IDS001 notes), written once: as a regular
 * expression source that RE2 (DuckDB's `regexp_full_match`) and JavaScript read alike, and as a JavaScript RegExp.
 */
export const POSTCODE_REGEX = '[A-Za-z]{1,2}[0-9][A-Za-z0-9]?\\s+[0-9][A-Za-z]{2}';
export const POSTCODE_PATTERN = new RegExp(`^(?:${POSTCODE_REGEX})$`);

/** SQL: a postcode as the postcode reference data is keyed (trimmed, upper case, each run of spaces one space). */
export const postcodeKeySql = (expr: string): string => `upper(regexp_replace(trim(${expr}), '\\s+', ' ', 'g'))`;

/** Modulus 11 check digit of the first nine digits of an NHS number; null when the digit would be 10 (invalid). */
export function nhsNumberCheckDigit(firstNine: string): number | null {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(firstNine.charCodeAt(i) - 48) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  if (check === 10) return null;
  return check;
}

/** True when the value is ten digits whose last digit is the Modulus 11 check digit of the first nine. */
export function isValidNhsNumber(value: string): boolean {
  if (!/^\d{10}$/.test(value)) return false;
  return nhsNumberCheckDigit(value.slice(0, 9)) === Number(value[9]);
}
