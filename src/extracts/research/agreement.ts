// A Data Sharing Agreement as data: the JSON file a research extract is made under (docs/extracts.md). It
// names the agreement (its id keys the extract: src/extracts/agreementKey.ts), the recipient and purpose, the
// reporting periods, the UK LLC tables and the items of each (minimisation: nothing else is released), whether the
// national data opt-out is applied (the research default) or set aside under a stated legal basis, whether
// organisation codes are released in clear or encrypted, the finest geography released, and how the date of birth
// is coarsened. A file with any problem is refused as a whole, one line per problem, each naming the field.
//
// Checked here, without the data: the form of every field, and the items no research extract may carry whatever the
// agreement says (identifiable items but the coarsened birth date, national pseudonyms and system keys, geography
// finer than the agreement allows). Whether each item is a column of its table's national tables is checked by the
// extract, which reads them.
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { IaptError } from '../../core/errors.js';
import { coarseEnough, columnClass, GEOGRAPHY_LEVELS, identifiableItem, isPeriod, type GeographyLevel } from '../../dataset/index.js';
import { COHORT_KEY, PATHWAY_KEY } from '../agreementKey.js';
import { BIRTH_DATE_ITEM, BIRTH_DATE_TABLE, BIRTH_RELEASE, RESEARCH_TABLE_NAMES, RESEARCH_TABLES, SOURCE_TABLE_COLUMN, type ResearchTableName } from './layout.js';

/** Geography an agreement may release: none, or the finest level (src/dataset/release.ts, finest first). */
export const AGREEMENT_GEOGRAPHY = ['none', ...GEOGRAPHY_LEVELS] as const;
export const ORGANISATION_CODES = ['clear', 'encrypt'] as const;
export const DATE_OF_BIRTH = Object.keys(BIRTH_RELEASE) as (keyof typeof BIRTH_RELEASE)[];

/** The columns every research extract adds itself; an agreement lists items, not these. */
const KEY_COLUMNS: ReadonlySet<string> = new Set([COHORT_KEY, PATHWAY_KEY, SOURCE_TABLE_COLUMN, ...RESEARCH_TABLES.flatMap((t) => t.recordKeys.map((k) => k.name))]);

const AGREEMENT_ID = /^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/;

type Issue = { input?: unknown };
/** An error message for a field: "is missing" when absent, else the given text about the value. */
const says = (text: (input: unknown) => string) => (issue: Issue) => (issue.input === undefined ? 'is missing' : text(issue.input));
const shown = (value: unknown): string => (typeof value === 'string' ? `"${value}"` : JSON.stringify(value) ?? String(value));
const quoted = (values: readonly string[]): string => values.map((v) => `"${v}"`).join(', ');

const text = (what: string) =>
  z
    .string({ error: says((v) => `must be ${what} (text), not ${shown(v)}`) })
    .trim()
    .min(1, { error: `must be ${what}, not blank` });

const period = z.string({ error: says((v) => `${shown(v)} is not a reporting period (YYYY-MM)`) }).refine(isPeriod, { error: (issue) => `${shown(issue.input)} is not a reporting period (YYYY-MM)` });

const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: says((v) => `${shown(v)} is not one of ${quoted(values)}`) });

const optOut = z.union([z.literal('apply'), z.strictObject({ exempt: text('the exemption and its legal basis') })], {
  error: says((v) => `must be "apply" or { "exempt": "<the legal basis>" }, not ${shown(v)}`),
});

const items = z
  .array(z.string({ error: says((v) => `must be an item name (text), not ${shown(v)}`) }).trim().min(1, { error: 'an item name is blank' }), {
    error: says((v) => `must be a list of item names, not ${shown(v)}`),
  })
  .min(1, { error: 'lists no item: list at least one, or leave the table out' });

const FIELDS = ['id', 'recipient', 'purpose', 'periods', 'tables', 'optOut', 'organisationCodes', 'geography', 'dateOfBirth'] as const;

const tables = z
  .record(z.string(), items, { error: says((v) => `must be an object of UK LLC table names, each with a list of items, not ${shown(v)}`) })
  .superRefine((listed, ctx) => {
    const names = Object.keys(listed);
    if (names.length === 0) ctx.addIssue({ code: 'custom', message: 'names no table: list at least one UK LLC table and its items' });
    for (const name of names.filter((n) => !(RESEARCH_TABLE_NAMES as readonly string[]).includes(n))) {
      ctx.addIssue({ code: 'custom', message: `"${name}" is not a UK LLC IAPT table (the nine are ${RESEARCH_TABLE_NAMES.join(', ')})` });
    }
  });

const geography = oneOf(AGREEMENT_GEOGRAPHY);

const schema = z.strictObject(
  {
    id: z.string({ error: says((v) => `${shown(v)} is not an agreement identifier (letters, digits and hyphens, e.g. DARS-NIC-123456)`) }).regex(AGREEMENT_ID, {
      error: (issue) => `${shown(issue.input)} is not an agreement identifier (letters, digits and hyphens, e.g. DARS-NIC-123456)`,
    }),
    recipient: text('the organisation receiving the data'),
    purpose: text('the purpose the data are processed for'),
    periods: z
      .strictObject({ from: period, to: period }, { error: says((v) => `must be { "from": "YYYY-MM", "to": "YYYY-MM" }, not ${shown(v)}`) })
      .refine((p) => !isPeriod(p.from) || !isPeriod(p.to) || p.from <= p.to, { error: (issue) => `from ${(issue.input as { from: string }).from} is after to ${(issue.input as { to: string }).to}` }),
    tables,
    optOut,
    organisationCodes: oneOf(ORGANISATION_CODES),
    geography,
    dateOfBirth: oneOf(DATE_OF_BIRTH as ['age-at-referral', 'year-month']).default('age-at-referral'),
  },
  { error: says((v) => `not an agreement: a JSON object with the fields ${FIELDS.join(', ')} is wanted, not ${Array.isArray(v) ? 'a list' : shown(v)}`) },
);

/** Why each item of a table may not be released under the agreement, whatever the data holds (one message per item). */
function itemProblems(table: ResearchTableName, listed: readonly string[], geography: (typeof AGREEMENT_GEOGRAPHY)[number] | null): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const name of listed) {
    if (seen.has(name)) {
      problems.push(`${name} is listed twice`);
      continue;
    }
    seen.add(name);
    const cls = columnClass(name);
    const identifiable = identifiableItem(name);
    if (name === BIRTH_DATE_ITEM) {
      if (table !== BIRTH_DATE_TABLE) problems.push(`${name} is released only in ${BIRTH_DATE_TABLE} (as the age at referral, or the year and month of birth: dateOfBirth)`);
    } else if (KEY_COLUMNS.has(name)) {
      problems.push(`${name} is a key every research extract carries where it applies: list only the items`);
    } else if (identifiable) {
      problems.push(`${name} (${identifiable.element}) is identifiable and is never released in a research extract`);
    } else if (cls.pseudonym || cls.systemKey) {
      problems.push(`${name} is a national pseudonym or system key, never released in a research extract: linkage keys are given as ${COHORT_KEY} and ${PATHWAY_KEY}`);
    } else if (cls.geography && geography !== null && !coarseEnough(cls.geography, geography)) {
      problems.push(
        geography === 'none'
          ? `${name} places a person at ${cls.geography} level, and the agreement releases no geography (geography: "none")`
          : `${name} places a person at ${cls.geography} level, finer than the agreement's geography "${geography}"`,
      );
    }
  }
  return problems;
}

type Parsed = z.output<typeof schema>;

export interface Agreement extends Omit<Parsed, 'tables' | 'geography'> {
  /** The tables released, each with its items in the agreement's order. */
  tables: Partial<Record<ResearchTableName, string[]>>;
  geography: GeographyLevel | 'none';
}

/** Where an issue is, as the agreement's author would write it: periods.from, tables.IAPT_care_cluster[2]. */
function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}

function problemLine(issue: z.core.$ZodIssue): string {
  const where = fieldPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const fields = where === '' ? FIELDS : where === 'periods' ? ['from', 'to'] : where.endsWith('optOut') ? ['exempt'] : [];
    const what = `unknown field${issue.keys.length === 1 ? '' : 's'} ${quoted(issue.keys)}${fields.length > 0 ? ` (the fields are ${fields.join(', ')})` : ''}`;
    return where === '' ? what : `${where}: ${what}`;
  }
  return where === '' ? issue.message : `${where}: ${issue.message}`;
}

/**
 * The agreement in a JSON value, or the problems, one line each (without the file name): those of the fields' form,
 * then the items refused in each table named correctly (checked even when other fields are wrong, so that one
 * attempt shows every problem; the geography rule only once the geography itself is valid).
 */
export function parseAgreement(json: unknown): { agreement: Agreement } | { problems: string[] } {
  const parsed = schema.safeParse(json, { reportInput: true });
  const problems = parsed.success ? [] : parsed.error.issues.map(problemLine);
  const raw: Record<string, unknown> = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
  const listed = z.record(z.string(), items).safeParse(raw.tables);
  const finest = geography.safeParse(raw.geography);
  if (listed.success) {
    for (const [name, tableItems] of Object.entries(listed.data)) {
      if (!(RESEARCH_TABLE_NAMES as readonly string[]).includes(name)) continue;
      problems.push(...itemProblems(name as ResearchTableName, tableItems, finest.success ? finest.data : null).map((p) => `tables.${name}: ${p}`));
    }
  }
  if (problems.length > 0 || !parsed.success) return { problems };
  return { agreement: parsed.data as Agreement };
}

/** Reads an agreement file; any problem is bad input, one line per problem, each starting with the file's name. */
export function readAgreement(file: string): Agreement {
  if (!existsSync(file)) throw new IaptError('input', `${file}: no such file (the agreement, a JSON file: docs/extracts.md)`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new IaptError('input', `${file}: not JSON (${(error as Error).message.split('\n')[0]})`);
  }
  const result = parseAgreement(json);
  if ('problems' in result) throw new IaptError('input', result.problems.map((p) => `${file}: ${p}`).join('\n'));
  return result.agreement;
}

/** The exemption the agreement records from the national data opt-out, or null when the opt-out is applied. */
export const optOutExemption = (agreement: Agreement): string | null => (agreement.optOut === 'apply' ? null : agreement.optOut.exempt);
