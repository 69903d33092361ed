// Every code a measure construction compares an item with is a code of that item's code list, so no branch of a
// construction is dead on validated data (issue 14 found AppType 10 for M099, EA036–EA039, EA131–EA134, EA280 and
// SourceOfReferralIAPT N4 for M018, Q1 for M287 missing from the lists). Checked over (a) NHS England's constructions
// (reference/nhs/metadata_measures_monthly.parquet, column construction) and (b) our own measure, variable and
// breakdown definitions and the referral items they read (their SQL where / when / sql strings).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CODE_LISTS, codeList, item, RENAMED_IN_V21, TABLES, type TableName } from '../../src/dataset/index.js';
import { openDb } from '../../src/core/db.js';
import { ANNUAL_BREAKDOWNS, BREAKDOWN_ITEMS } from '../../src/measures/breakdowns.js';
import { MEASURES, REFERRAL_ITEMS } from '../../src/measures/catalogue/index.js';
import { VARIABLE_BREAKDOWNS, VARIABLE_ITEMS } from '../../src/measures/variables.js';
import { readRows } from '../helpers/db.js';

const METADATA = fileURLToPath(new URL('../../reference/nhs/metadata_measures_monthly.parquet', import.meta.url));

// Derived columns that hold an item's codes unchanged, named as the constructions and our definitions name them.
const CARRIERS: Readonly<Record<string, readonly [TableName, string]>> = {
  Validated_EthnicCategory: ['IDS001MPI', 'EthnicCategory'], // a valid code is kept as submitted (S1 CleanEthnicCategory)
  PsychotropicIndicator_First: ['IDS201CareContact', 'PsychMed'], // I101D19: PsychMed at the first treatment contact
  PsychotropicIndicator_Last: ['IDS201CareContact', 'PsychMed'], // I101D20: at the last
  SickpayIndicator_First: ['IDS004EmpStatus', 'SSPInd'],
  SickpayIndicator_Last: ['IDS004EmpStatus', 'SSPInd'],
  DisabilityCodes: ['IDS007DisabilityType', 'DisabCode'], // our referral item (variables.ts): the person's DisabCode values
};

// Literals compared with an item that are genuinely not codes of its list, each with the reason.
const NOT_CODES: readonly { codeList: string; literals: readonly string[]; reason: string }[] = [
  {
    codeList: 'AppType',
    literals: ['6', '6 ', ' 6'],
    reason: 'EA050, EA054, M316, M320, M324 and M328 also search v1.5 historic appointments (RA.APPTYPE) and match follow-up unpadded or space-padded; 06 is in the same lists',
  },
  {
    codeList: 'PsychMed',
    literals: ['1', ' 1', '1 ', '2', ' 2', '2 ', '3', ' 3', '3 '],
    reason: 'V012 (and variables.ts, which follows it) accepts PsychMed 01–03 submitted without the leading zero or padded with a space',
  },
];

// Columns the constructions compare with a literal that hold no code of a code list, each with the reason.
const UNTIED: readonly { columns: RegExp; reason: string }[] = [
  { columns: /_Flag$|_Count$|^Count_/, reason: 'derived flags and counts, compared with True or a number' },
  { columns: /^(?:Unique_MonthID|RecordStartDate)$/, reason: 'the reporting period' },
  {
    columns: /^(?:CodeProcAndProcStatus|SocPerCircumstance|LongTermCondition|Validated_PresentingComplaint|ADSM)$/,
    reason: 'SNOMED CT and ICD-10 codes and ADSM names: the therapy, circumstance, condition and problem descriptor lists of the spec, not code lists',
  },
  {
    columns: /^(?:THERTYPE[1-4]|EMPSTATUS|EMPATTENDSTATUS|EMPSUPPORTTYPE|ATTENDANCE)$/,
    reason: 'v1.5 historic records (RA, REA) that EA050, EA054 and M316–M329 search besides v2.0 and v2.1 data: not items of v2.1',
  },
  { columns: /^records$/, reason: "prose: 'Count of IDS205InternetTherLog records = 0' (EA037, EA038)" },
];

/** A v2.1 item renamed from a v2.0 one keeps the v2.0 codes of data uplifted from v2.0 (ConsMechanism: ConsMediumUsed 03, 06, 08). */
const v20List = (name: string): string[] => RENAMED_IN_V21.filter((r) => r.v21 === name && CODE_LISTS.some((c) => c.id === r.v20)).map((r) => r.v20);

/** Coded column (lower case) → its name and code list (with any v2.0 list): the spec's items with a code list, and CARRIERS. */
function codedColumns(): { columns: Map<string, { name: string; codeList: string; v20: string[] }>; conflicts: string[] } {
  const columns = new Map<string, { name: string; codeList: string; v20: string[] }>();
  const conflicts: string[] = [];
  const add = (name: string, list: string, v20: string[] = []) => {
    const seen = columns.get(name.toLowerCase());
    if (seen && seen.codeList !== list) conflicts.push(`${name}: ${seen.codeList} and ${list}`);
    columns.set(name.toLowerCase(), { name, codeList: list, v20 });
  };
  for (const t of TABLES) for (const i of t.items) if (i.codeList) add(i.name, i.codeList, v20List(i.name));
  for (const [name, [table, of]] of Object.entries(CARRIERS)) add(name, item(table, of).codeList!);
  return { columns, conflicts };
}

const { columns: CODED, conflicts: CONFLICTS } = codedColumns();

interface Comparison {
  /** The coded column as the spec names it. */
  column: string;
  codes: string[];
}

// A code, quoted or not; quotes may be unbalanced in the constructions (‘F1’ or F2’ or ’F3’).
const CODE = String.raw`('*)([A-Za-z0-9]+)(?![A-Za-z0-9_])('*)`;
const NULL_TEST = /^\s*is\s+(?:not\s+)?null\b/i;
const IN_LIST = /^\s*(?:is\s+)?(?:not\s+)?in\s*\(([^)]*)\)/i;
const EQUALS = new RegExp(String.raw`^\s*(?:=|<>|!=)\s*${CODE}`, 'i');
const OR_CODE = new RegExp(String.raw`^\s*or(?:\s+|(?='))${CODE}`, 'i');
const OPERATOR = /^\s*(?:=|<>|!=|(?:is\s+)?(?:not\s+)?in\b)/i;
const KEYWORDS = new Set(['is', 'not', 'null', 'in', 'and', 'or', 'true', 'false', 'select']);
const NAMES = new RegExp(
  String.raw`(?<![A-Za-z_])(${[...CODED.values()]
    .map((c) => c.name)
    .sort((a, b) => b.length - a.length)
    .join('|')})(?![A-Za-z0-9_])`,
  'gi',
);

/** The code an unquoted or quoted token is, or null when it is a keyword or a column (followed by `.` or an operator). */
function codeOf(m: RegExpExecArray, after: string): string | null {
  const quoted = Boolean(m[1] || m[3]);
  if (quoted) return m[2]!;
  if (KEYWORDS.has(m[2]!.toLowerCase()) || CODED.has(m[2]!.toLowerCase()) || /^\s*(?:\.|=|<>|!=)/.test(after)) return null;
  return m[2]!;
}

/**
 * The comparisons of coded columns with literal codes in a construction or SQL text: `X = 02 or 03 or 05`,
 * `X <> '06'`, `X in ('5','6')`, `X is not in (...)`, and our `list_contains(X, '01')` and `list_filter(X, c -> c NOT IN (...))`.
 * A coded column followed by an operator whose right side is none of these is returned in `unparsed`.
 */
function comparisons(text: string): { found: Comparison[]; unparsed: string[] } {
  const normal = text
    .replace(/[‘’“”"`´]/g, "'")
    .replace(/list_contains\(\s*([\w.]+)\s*,\s*('[^']*')\s*\)/gi, '($1 = $2)')
    .replace(/list_filter\(\s*([\w.]+)\s*,\s*(\w+)\s*->\s*\2\b/gi, 'list_filter($1, $2 -> $1');
  const found: Comparison[] = [];
  const unparsed: string[] = [];
  for (const m of normal.matchAll(NAMES)) {
    const column = CODED.get(m[1]!.toLowerCase())!.name;
    const rest = normal.slice(m.index + m[0].length);
    const snippet = `${m[0]}${rest.slice(0, 60)}`.replace(/\s+/g, ' ');
    if (NULL_TEST.test(rest)) continue;
    const list = IN_LIST.exec(rest);
    if (list) {
      const codes: string[] = [];
      for (const element of list[1]!.split(',')) {
        const trimmed = element.trim();
        const code = trimmed.replace(/^'+|'+$/g, '');
        if (trimmed === code && !/^[A-Za-z0-9]+$/.test(code)) unparsed.push(snippet);
        else if (code.toLowerCase() !== 'null') codes.push(code);
      }
      found.push({ column, codes });
      continue;
    }
    const first = EQUALS.exec(rest);
    if (first) {
      let tail = rest.slice(first[0].length);
      const code = codeOf(first, tail);
      if (code === null) continue; // compared with another column
      const codes = [code];
      for (let more = OR_CODE.exec(tail); more; more = OR_CODE.exec(tail)) {
        const next = codeOf(more, tail.slice(more[0].length));
        if (next === null) break;
        codes.push(next);
        tail = tail.slice(more[0].length);
      }
      found.push({ column, codes });
      continue;
    }
    if (OPERATOR.test(rest)) unparsed.push(snippet);
  }
  return { found, unparsed };
}

// Any column compared with what looks like a literal: `X = 'a'`, `X <> 5`, `X in ('a'`, `X is not in (a`.
const LITERAL_COMPARISON = /([A-Za-z_]\w*)\s*(?:=|<>|!=|(?:is\s+)?(?:not\s+)?in\s*\()\s*\(?\s*['‘’“”"]?[A-Za-z0-9]/gi;

interface Offence {
  measure: string;
  item: string;
  code: string;
}

const notACode = (list: string, code: string) => NOT_CODES.some((n) => n.codeList === list && n.literals.includes(code));

/** Literals of `texts` (by measure) not in their item's code list nor in NOT_CODES, and the literals NOT_CODES excused. */
function check(texts: readonly { measure: string; text: string }[]): { offences: Offence[]; unparsed: string[]; excused: Set<string>; checked: number } {
  const offences: Offence[] = [];
  const unparsed: string[] = [];
  const excused = new Set<string>();
  let checked = 0;
  for (const { measure, text } of texts) {
    const parsed = comparisons(text);
    unparsed.push(...parsed.unparsed.map((s) => `${measure}: ${s}`));
    for (const c of parsed.found) {
      const { codeList: list, v20 } = CODED.get(c.column.toLowerCase())!;
      const known = new Set([list, ...v20].flatMap((id) => codeList(id).values.map((v) => v.code)));
      for (const code of c.codes) {
        checked++;
        if (known.has(code)) continue;
        if (notACode(list, code)) excused.add(`${list} '${code}'`);
        else offences.push({ measure, item: c.column, code });
      }
    }
  }
  return { offences, unparsed, excused, checked };
}

const listed = (offences: readonly Offence[]) => [...new Set(offences.map((o) => `${o.measure} ${o.item} '${o.code}'`))];

async function constructions(): Promise<{ measure: string; text: string }[]> {
  const db = await openDb();
  try {
    const rows = await readRows<{ measure_id: string; construction: string }>(db, 
      `SELECT measure_id, construction FROM read_parquet('${METADATA}') WHERE construction IS NOT NULL ORDER BY measure_id`,
    );
    return rows.map((r) => ({ measure: r.measure_id, text: r.construction }));
  } finally {
    db.close();
  }
}

const SQL_KEYS = new Set(['where', 'when', 'sql', 'date', 'of', 'per', 'distinct']);

/** The SQL strings of a definition: every string under a key that holds SQL, at any depth. */
function sqlOf(value: unknown, key = ''): string[] {
  if (typeof value === 'string') return SQL_KEYS.has(key) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((v) => (typeof v === 'string' ? [] : sqlOf(v)));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => sqlOf(v, k));
  return [];
}

function ourDefinitions(): { measure: string; text: string }[] {
  return [
    ...MEASURES.map((m) => ({ measure: m.id, parts: sqlOf(m) })),
    ...[...REFERRAL_ITEMS, ...VARIABLE_ITEMS, ...BREAKDOWN_ITEMS].map((i) => ({ measure: `referral items ${i.name}`, parts: sqlOf(i) })),
    ...VARIABLE_BREAKDOWNS.map((v) => ({ measure: v.id, parts: sqlOf(v) })),
    ...ANNUAL_BREAKDOWNS.map((b) => ({ measure: `annual ${b.type}`, parts: sqlOf(b) })),
  ].flatMap(({ measure, parts }) => parts.map((text) => ({ measure, text })));
}

describe('the comparison parser', () => {
  it('reads the construction patterns, curly quotes and all', () => {
    const codes = (text: string) => comparisons(text).found.map((c) => `${c.column}:${c.codes.join(',')}`);
    expect(codes("IDS201CareContact.AppType = '10' and IDS201CareContact.CareContDate > x")).toEqual(['AppType:10']);
    expect(codes('IDS201CareContact.AppType = 02 or 03 or 05\r\nand IDS101Referral.UsePathway_Flag = ‘True’')).toEqual(['AppType:02,03,05']);
    expect(codes('IDS101Referral.SourceOfReferralIAPT = ‘N1’ or ‘N2’ or \'N4\'\r\nAnd x')).toEqual(['SourceOfReferralIAPT:N1,N2,N4']);
    expect(codes('IDS101Referral.SourceOfReferralIAPT = ‘F1’ or F2’ or ’F3’')).toEqual(['SourceOfReferralIAPT:F1,F2,F3']);
    expect(codes("(IDS201CareContact.AttendORDNACode in ('5','6') or IDS201PlannedCareContIndicator = 'N')")).toEqual(['AttendOrDNACode:5,6', 'PlannedCareContIndicator:N']);
    expect(codes('AttendOrDNACode = 5 or 6  \r\nor IDS201CareContact.PlannedCareContIndicator = ‘N’)')).toEqual(['AttendOrDNACode:5,6', 'PlannedCareContIndicator:N']);
    expect(codes("EmployStatus not in (‘01’, ‘08’, ''ZZ') and EmpSupportInd is not in ('Y', 'N', 'NA')")).toEqual(['EmployStatus:01,08,ZZ', 'EmpSupportInd:Y,N,NA']);
    expect(codes("RA.APPTYPE IN ('6', '06', '6 ', ' 6')")).toEqual(['AppType:6,06,6 , 6']);
    expect(codes("AppType = 10 or (CodeProcAndProcStatus = '1' and AppType = 06)) and EndCode is not null")).toEqual(['AppType:10', 'AppType:06']);
    expect(codes("list_contains(DisabilityCodes, 'XX') OR len(list_filter(DisabilityCodes, c -> c NOT IN ('01', 'NN'))) > 0")).toEqual(['DisabilityCodes:XX', 'DisabilityCodes:01,NN']);
    expect(codes('PresCompCodSig (Primary ahead of Secondary) and x.AppType = src.AppType')).toEqual([]);
    expect(comparisons('EmployStatus in ‘01’ and AppType in (SELECT 1)').unparsed).toHaveLength(2);
  });

  it('ties each coded column to one code list, ConsMechanism with the v2.0 ConsMediumUsed codes it keeps', () => {
    expect(CONFLICTS).toEqual([]);
    expect(CODED.get('consmechanism')?.v20).toEqual(['ConsMediumUsed']);
  });
});

describe('code literals of the measures are codes of the data set (AppType 10: M099, EA036–EA039, EA131–EA134, EA280; SourceOfReferralIAPT N4: M018, Q1: M287)', () => {
  it("(a) NHS England's constructions name only codes of the items' code lists", async () => {
    const texts = await constructions();
    const { offences, unparsed, checked } = check(texts);
    // The parser reads the measures of issue 14 as published.
    const of = (id: string) => texts.filter((t) => t.measure === id).flatMap((t) => comparisons(t.text).found);
    expect(of('M018')).toEqual([{ column: 'SourceOfReferralIAPT', codes: ['N1', 'N2', 'N4'] }]);
    expect(of('M287')).toEqual([{ column: 'SourceOfReferralIAPT', codes: ['Q1'] }]);
    expect(of('EA280').filter((c) => c.column === 'AppType')).toEqual([{ column: 'AppType', codes: ['10'] }]);
    expect(checked).toBeGreaterThan(500);
    expect(unparsed, 'coded items compared with something the parser cannot read').toEqual([]);
    expect(listed(offences), 'measure, item and code not in the data set code list').toEqual([]);
  });

  it('(b) our measure, variable and breakdown definitions name only codes of the code lists', () => {
    const texts = ourDefinitions();
    const { offences, unparsed, checked } = check(texts);
    expect(checked).toBeGreaterThan(200);
    expect(unparsed, 'coded items compared with something the parser cannot read').toEqual([]);
    expect(listed(offences), 'measure, item and code not in the data set code list').toEqual([]);
  });

  it('(a) ties every column the constructions compare with a literal to a code list, or says why not', async () => {
    const untied = new Set<RegExp>();
    const unknown: string[] = [];
    for (const { measure, text } of await constructions()) {
      for (const m of text.matchAll(LITERAL_COMPARISON)) {
        const column = m[1]!.replace(/^IDS\d{3}(?=[A-Z])/, ''); // IDS201PlannedCareContIndicator (M1011)
        if (CODED.has(column.toLowerCase())) continue;
        const rule = UNTIED.find((u) => u.columns.test(column));
        if (rule) untied.add(rule.columns);
        else unknown.push(`${measure} ${column}`);
      }
    }
    expect(unknown, 'columns compared with a literal that are neither coded nor in UNTIED').toEqual([]);
    expect(UNTIED.filter((u) => !untied.has(u.columns)).map((u) => u.reason), 'UNTIED entries no construction needs').toEqual([]);
  });

  it('excuses only literals that occur and are not codes', async () => {
    const excused = new Set([...check(await constructions()).excused, ...check(ourDefinitions()).excused]);
    for (const n of NOT_CODES) {
      const codes = new Set(codeList(n.codeList).values.map((v) => v.code));
      for (const literal of n.literals) {
        expect(codes.has(literal), `${n.codeList} '${literal}' is a code`).toBe(false);
        expect(excused.has(`${n.codeList} '${literal}'`), `${n.codeList} '${literal}' is not named by any measure`).toBe(true);
      }
    }
  });
});
