// The one SQL vocabulary of the platform. Every identifier and every value that reaches SQL text goes through
// here (or is bound as a parameter by DuckDB, see core/db.ts); no other module quotes or escapes. Rules,
// derivation items and measures are data, compiled to SQL with these small builders, so a reviewer can read
// what runs and a test can assert it (test/core/sql.test.ts).

/** A value that may appear in SQL text as a literal. */
export type SqlValue = string | number | bigint | boolean | null;

/** An identifier (table, column, alias), double-quoted: `ident('a"b')` → `"a""b"`. */
export const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** A column of an alias (`col('t', 'ServDischDate')` → `t."ServDischDate"`), or the bare column without one. */
export const col = (alias: string | undefined, name: string): string => (alias ? `${alias}.${ident(name)}` : ident(name));

/** A value as a SQL literal: strings single-quoted with quotes doubled, finite numbers as written, NULL, TRUE/FALSE. */
export function literal(value: SqlValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`${value} cannot be a SQL literal`);
    return String(value);
  }
  return `'${value.replace(/'/g, "''")}'`;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date (YYYY-MM-DD) as a DATE literal. */
export function dateLiteral(iso: string): string {
  if (!ISO_DATE.test(iso)) throw new RangeError(`"${iso}" is not a date (YYYY-MM-DD)`);
  return `DATE ${literal(iso)}`;
}

/** Comma-separated literals, for IN lists and VALUES rows: `list(['5', '6'])` → `'5', '6'`. */
export const list = (values: readonly SqlValue[]): string => values.map(literal).join(', ');

/** `expr IN (…)`; an empty list is false. */
export const isIn = (expr: string, values: readonly SqlValue[]): string => (values.length === 0 ? 'false' : `${expr} IN (${list(values)})`);

/** `expr NOT IN (…)`; an empty list is true. NULL stays NULL, as SQL's own NOT IN. */
export const notIn = (expr: string, values: readonly SqlValue[]): string => (values.length === 0 ? 'true' : `${expr} NOT IN (${list(values)})`);

/** `expr = literal`. */
export const eq = (expr: string, value: SqlValue): string => `${expr} = ${literal(value)}`;

/** `expr <> literal`. */
export const ne = (expr: string, value: SqlValue): string => `${expr} <> ${literal(value)}`;

type Condition = string | false | null | undefined;

const join = (conditions: readonly Condition[], operator: 'AND' | 'OR', empty: string): string => {
  const kept = conditions.filter((c): c is string => typeof c === 'string' && c !== '');
  if (kept.length === 0) return empty;
  if (kept.length === 1) return kept[0]!;
  return `(${kept.map((c) => `(${c})`).join(` ${operator} `)})`;
};

/** Conjunction of the given conditions (falsy ones are left out); none is true. */
export const and = (...conditions: Condition[]): string => join(conditions, 'AND', 'true');

/** Disjunction of the given conditions (falsy ones are left out); none is false. */
export const or = (...conditions: Condition[]): string => join(conditions, 'OR', 'false');

/** `CASE WHEN c1 THEN r1 … ELSE otherwise END`, results already SQL. */
export function caseWhen(whens: readonly (readonly [string, string])[], otherwise = 'NULL'): string {
  if (whens.length === 0) return otherwise;
  return `CASE ${whens.map(([when, then]) => `WHEN ${when} THEN ${then}`).join(' ')} ELSE ${otherwise} END`;
}

/** `CASE expr WHEN literal THEN r … ELSE otherwise END`: a look-up of literal keys. */
export function caseOf(expr: string, pairs: readonly (readonly [SqlValue, string])[], otherwise = 'NULL'): string {
  if (pairs.length === 0) return otherwise;
  return `CASE ${expr} ${pairs.map(([key, then]) => `WHEN ${literal(key)} THEN ${then}`).join(' ')} ELSE ${otherwise} END`;
}

/** Rows of literals for a VALUES clause: `values([['a', 1]])` → `('a', 1)`. */
export const values = (rows: readonly (readonly SqlValue[])[]): string => rows.map((r) => `(${list(r)})`).join(', ');

/** A DuckDB struct of literals: `struct({a: 'x'})` → `{'a': 'x'}`. */
export const struct = (fields: Readonly<Record<string, SqlValue>>): string =>
  `{${Object.entries(fields)
    .map(([k, v]) => `${literal(k)}: ${literal(v)}`)
    .join(', ')}}`;

/** A DuckDB list of literals: `listValue(['a'])` → `['a']`. */
export const listValue = (items: readonly SqlValue[]): string => `[${list(items)}]`;

/**
 * Fills `$name` placeholders of a SQL fragment with literals, for fragments that are data (a measure's condition
 * naming `$start`/`$end`) and are spliced into larger statements: DuckDB binds parameters per statement, and
 * these fragments are nested inside CREATE VIEW, which takes no parameters. Every placeholder must be given.
 */
export function fill(fragment: string, params: Readonly<Record<string, SqlValue | { date: string }>>): string {
  // A quoted string is matched whole and left alone, so a `$` inside a literal is never taken for a placeholder.
  return fragment.replace(/'(?:[^']|'')*'|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, name: string | undefined) => {
    if (name === undefined) return whole;
    if (!(name in params)) throw new RangeError(`no value for ${whole} in the SQL fragment`);
    const value = params[name]!;
    return typeof value === 'object' && value !== null ? dateLiteral(value.date) : literal(value);
  });
}

/** A LIKE pattern matching strings that start with `prefix` (its % and _ escaped with backslash). */
export const startsWithPattern = (prefix: string): string => `${literal(`${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)} ESCAPE '\\'`;
