import type { ItemFormat } from './types.js';

/** Alphanumeric, at most `max` characters (and at least `min` when given). */
export const an = (max: number, min?: number): ItemFormat => (min === undefined ? { kind: 'an', max } : { kind: 'an', max, min });
/** Alphanumeric of exactly `length` characters. */
export const anExact = (length: number): ItemFormat => ({ kind: 'an', min: length, max: length, exact: true });
/** Digits only, at most `max` (and at least `min` when given). */
export const n = (max: number, min?: number): ItemFormat => (min === undefined ? { kind: 'n', max } : { kind: 'n', max, min });
export const date = (): ItemFormat => ({ kind: 'date' });
export const time = (): ItemFormat => ({ kind: 'time' });
export const datetime = (): ItemFormat => ({ kind: 'datetime' });
export const version = (): ItemFormat => ({ kind: 'version' });
export const yearMonth = (): ItemFormat => ({ kind: 'yearMonth' });
export const nhsNumber = (): ItemFormat => ({ kind: 'nhsNumber' });
export const postcode = (): ItemFormat => ({ kind: 'postcode' });
export const snomed = (min: number, max: number): ItemFormat => ({ kind: 'snomed', min, max });
export const score = (): ItemFormat => ({ kind: 'score' });

/** The format in NHS notation, as the reference and the TOS write it. */
export function formatNotation(format: ItemFormat): string {
  switch (format.kind) {
    case 'an':
    case 'n':
      if (format.exact) return `${format.kind}${format.max}`;
      return format.min === undefined ? `max ${format.kind}${format.max}` : `min ${format.kind}${format.min} max ${format.kind}${format.max}`;
    case 'date':
      return 'an10 CCYY-MM-DD';
    case 'time':
      return 'an8 HH:MM:SS';
    case 'datetime':
      return 'an19 CCYY-MM-DDThh:mm:ss';
    case 'version':
      return 'nn.nn (1–2 digits . 1–2 digits)';
    case 'yearMonth':
      return 'an7 CCYY-MM';
    case 'nhsNumber':
      return 'n10 (Modulus 11)';
    case 'postcode':
      return 'max an8 UK postcode';
    case 'snomed':
      return `SNOMED CT min n${format.min} max an${format.max}`;
    case 'score':
      return 'max an5 (per assessment tool)';
  }
}

/**
 * A year and month (CCYY-MM, the `yearMonth` format), and the slash form CCYY/MM that IDS10132 tolerates: regular
 * expression sources that RE2 (DuckDB's `regexp_full_match`) and JavaScript read alike, matched whole.
 */
const yearMonthRegex = (separator: string): string => `[0-9]{4}${separator}(0[1-9]|1[0-2])`;
export const YEAR_MONTH_REGEX = yearMonthRegex('-');
export const YEAR_MONTH_SLASH_REGEX = yearMonthRegex('/');
export const YEAR_MONTH_EITHER_REGEX = yearMonthRegex('[-/]');
