// Formula injection ("CSV injection", OWASP): a spreadsheet opening a CSV file runs a cell that starts with
// =, +, -, @, a tab or a carriage return as a formula (`=HYPERLINK(...)`, `@SUM(...)`, `-2+3`). The NHS Data
// Landing Portal refuses such cells in submissions. The rule lives here once, for TypeScript and for SQL:
// - validation flags submitted values that look like formulas (IDSFMT05, IDSFMT06);
// - every CSV the platform writes neutralises them the OWASP way: a single quote before the cell, so a
//   spreadsheet shows it as text. Plain numbers (-5, +44, -12.5, 1e3) are left alone; Parquet stays raw.

import { literal } from './sql.js';

/** The first characters that make a spreadsheet read a cell as a formula (a regular expression class). */
const START = '[=+\\-@\\t\\r]';
/** A plain number, which a spreadsheet reads as a number whatever its sign (RE2 and JavaScript syntax alike). */
const NUMBER = '[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?';

const STARTS = new RegExp(`^${START}`);
const NUMERIC = new RegExp(`^(${NUMBER})$`);

/** True when a spreadsheet would run the text as a formula: it starts with =, +, -, @, tab or CR and is not a number. */
export function isFormulaLike(text: string): boolean {
  return STARTS.test(text) && !NUMERIC.test(text);
}

/** The text as a CSV cell that cannot run as a formula: a single quote before a formula-like text. */
export function neutraliseCell(text: string): string {
  return isFormulaLike(text) ? `'${text}` : text;
}

/** SQL (DuckDB): true when the VARCHAR expression is formula-like, as `isFormulaLike`; NULL for NULL. */
export function formulaLikeSql(expr: string): string {
  return `(regexp_matches(${expr}, ${literal(`^${START}`)}) AND NOT regexp_full_match(${expr}, ${literal(NUMBER)}))`;
}

/** SQL (DuckDB): the VARCHAR expression as `neutraliseCell` writes it. */
export function neutraliseSql(expr: string): string {
  return `CASE WHEN ${formulaLikeSql(expr)} THEN ${literal("'")} || ${expr} ELSE ${expr} END`;
}
