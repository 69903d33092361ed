// `iapt check-release`: re-verifies a finished publication file against its disclosure policy, cell by cell,
// from the file alone. The layout (monthly long, quarterly long, or annual wide) is recognised by its header.
import { IaptError } from '../../core/errors.js';
import { isPeriod, periodBounds } from '../../dataset/index.js';
import { parseCsv } from '../../intake/csvText.js';
import { MEASURES, measureById } from '../catalogue/index.js';
import { cellProblems, type PublishedCell, type Violation } from '../disclosure/check.js';
import type { GroupType, PolicyName, Statistic } from '../disclosure/policy.js';
import { GROUPS } from '../groups.js';
import { ANNUAL_COLUMNS, ANNUAL_KEY_COLUMNS, ANNUAL_ORG_TYPES, numeratorColumn } from '../publish/annual.js';
import { MONTHLY_HEADER } from '../publish/monthly.js';
import { QUARTERLY_GROUP_TYPES, QUARTERLY_HEADER } from '../publish/quarterly.js';

export type Layout = 'monthly' | 'quarterly' | 'annual';

export interface ReleaseCheck {
  layout: Layout;
  cells: number;
  violations: Violation[];
}

export class ReleaseError extends IaptError {
  constructor(message: string) {
    super('input', message);
    this.name = 'ReleaseError';
  }
}

const STATISTIC_PREFIXES: [string, Statistic][] = [
  ['Count_', 'count'],
  ['Sum_', 'sum'],
  ['Percentage_', 'percentage'],
  ['Mean_', 'mean'],
  ['Median_', 'median'],
  ['Max_', 'max'],
  ['Min_', 'min'],
];
/** The statistic a published measure name announces (Count_…, Percentage_…). */
export function statisticOfName(name: string): Statistic {
  const found = STATISTIC_PREFIXES.find(([prefix]) => name.startsWith(prefix));
  if (!found) throw new ReleaseError(`measure name "${name}" does not start with a statistic (Count_, Percentage_, Mean_ …)`);
  return found[1];
}

const header = (fields: readonly string[]) => fields.join(',');

/** A reporting period's first day, or last day (src/dataset/periods.ts): a quarter's too, as it starts and ends with a month's. */
const isPeriodStart = (date: string): boolean => isPeriod(date.slice(0, 7)) && boundsOf(date.slice(0, 7)).start === date;
const isPeriodEnd = (date: string): boolean => isPeriod(date.slice(0, 7)) && boundsOf(date.slice(0, 7)).end === date;
/** periodBounds remembered: a national file repeats the same few months on every one of its million lines. */
const bounds = new Map<string, { start: string; end: string }>();
const boundsOf = (month: string) => bounds.get(month) ?? bounds.set(month, periodBounds(month)).get(month)!;

/** Where a long layout keeps the group type, the organisation codes and the variable columns (indexes). */
interface LongLayout {
  width: number;
  group: number;
  orgs: readonly number[];
  variables: readonly number[];
  groupTypes: ReadonlyMap<string, GroupType>;
}
const MONTHLY: LongLayout = { width: MONTHLY_HEADER.length, group: 2, orgs: [3, 5], variables: [], groupTypes: new Map(GROUPS.map((g) => [g.type, g.type])) };
const QUARTERLY: LongLayout = { width: QUARTERLY_HEADER.length, group: 8, orgs: [2, 4, 6], variables: [9, 10, 11], groupTypes: new Map([...QUARTERLY_GROUP_TYPES].map(([g, label]) => [label, g])) };

/** A file's records one at a time with the line each starts on (a national file is hundreds of megabytes). */
function* records(text: string): Generator<[number, string[]]> {
  let line = 1;
  for (let start = 0; start < text.length; ) {
    // A record ends at the first line end outside quotes.
    let end = text.indexOf('\n', start);
    while (end >= 0 && (text.slice(start, end).split('"').length - 1) % 2 === 1) end = text.indexOf('\n', end + 1);
    if (end < 0) end = text.length;
    const record = text.slice(start, end);
    yield [line, parseCsv(record)[0] ?? ['']];
    line += record.split('\n').length;
    start = end + 1;
  }
}

export function checkRelease(text: string, policy: PolicyName): ReleaseCheck {
  const first = records(text).next();
  const head = first.done ? '' : first.value[1].join(',');
  const rows = () => {
    const all = records(text);
    all.next();
    return all;
  };
  if (head === header(MONTHLY_HEADER)) return { layout: 'monthly', ...checkLong(rows, policy, MONTHLY) };
  if (head === header(QUARTERLY_HEADER)) return { layout: 'quarterly', ...checkLong(rows, policy, QUARTERLY) };
  if (head === header([...ANNUAL_KEY_COLUMNS, ...ANNUAL_COLUMNS.map((c) => c.column)])) return { layout: 'annual', ...checkAnnual(rows(), policy) };
  throw new ReleaseError('the header is none of the NHS monthly layout, the quarterly layout and the annual main layout');
}

/** The single measure a percentage's numerator or denominator is (the cells a percentage cell is checked against). */
const single = (terms: readonly unknown[]) => (terms.length === 1 && typeof terms[0] === 'string' ? terms[0] : undefined);
const REFERENCED = new Set(
  MEASURES.flatMap((m) => (m.statistic === 'percentage' ? [single(m.numerator), single(m.denominator)] : [])).filter((id): id is string => id !== undefined),
);

/**
 * A long file: period dates first, then measure id, name and value last; the rest as `layout` places it. Read
 * twice, a record at a time: first the counts percentages refer to, then every cell.
 */
function checkLong(rows: () => Iterable<[number, string[]]>, policy: PolicyName, layout: LongLayout): Omit<ReleaseCheck, 'layout'> {
  const { width } = layout;
  const [idAt, nameAt, valueAt] = [width - 3, width - 2, width - 1];
  const cellKey = (r: string[], id: string | undefined) => [r[layout.group], ...layout.orgs.map((k) => r[k]), ...layout.variables.map((k) => r[k]), id].join('|');
  const index = new Map<string, string>();
  for (const [, r] of rows()) if (REFERENCED.has(r[idAt]!)) index.set(cellKey(r, r[idAt]), r[valueAt]!);
  let cells = 0;
  const structural: Violation[] = [];
  const violations: Violation[] = [];
  for (const [line, r] of rows()) {
    const where = () => `line ${line} (${[r[layout.group], layout.orgs.map((k) => r[k]).join('/'), ...layout.variables.map((k) => r[k]), r[idAt]].join(' ')})`;
    if (r.length !== width) {
      structural.push({ where: where(), value: r.join(','), problem: `has ${r.length} fields, not ${width}` });
      continue;
    }
    const [start, end] = r as [string, string];
    const [id, name, value] = [r[idAt]!, r[nameAt]!, r[valueAt]!];
    if (!isPeriodStart(start) || !isPeriodEnd(end)) structural.push({ where: where(), value: `${start} ${end}`, problem: "reporting period dates are not a month's first and last day (YYYY-MM-DD)" });
    const groupType = layout.groupTypes.get(r[layout.group]!);
    if (!groupType) {
      structural.push({ where: where(), value: r[layout.group]!, problem: 'unknown group type' });
      continue;
    }
    const m = measureById(id);
    const related = (other: string | undefined) => (other ? index.get(cellKey(r, other)) : undefined);
    let statistic: Statistic;
    try {
      statistic = m?.statistic ?? statisticOfName(name);
    } catch (error) {
      structural.push({ where: where(), value: name, problem: (error as Error).message });
      continue;
    }
    const cell: Omit<PublishedCell, 'where'> = { groupType, statistic, value };
    if (m?.statistic === 'percentage') {
      const numerator = related(single(m.numerator));
      const denominator = related(single(m.denominator));
      if (numerator !== undefined) cell.numeratorValue = numerator;
      if (denominator !== undefined) cell.denominatorValue = denominator;
    }
    cells++;
    for (const problem of cellProblems(cell, policy)) violations.push({ where: where(), value, problem });
  }
  return { cells, violations: [...structural, ...violations] };
}

function checkAnnual(rows: Iterable<[number, string[]]>, policy: PolicyName): Omit<ReleaseCheck, 'layout'> {
  const orgTypes = new Map([...ANNUAL_ORG_TYPES].map(([g, label]) => [label, g]));
  const columns = [...ANNUAL_KEY_COLUMNS, ...ANNUAL_COLUMNS.map((c) => c.column)];
  let cells = 0;
  const structural: Violation[] = [];
  const violations: Violation[] = [];
  for (const [line, r] of rows) {
    const where = (column: string) => `line ${line} (${r[0]} ${r[1]} ${r[3]}/${r[4]}/${r[5]}) ${column}`;
    if (r.length !== columns.length) {
      structural.push({ where: where(''), value: '', problem: `has ${r.length} fields, not ${columns.length}` });
      continue;
    }
    const groupType = orgTypes.get(r[0]!);
    if (!groupType) {
      structural.push({ where: where('OrgType'), value: r[0]!, problem: 'unknown OrgType' });
      continue;
    }
    const valueOf = (column: string | undefined) => (column ? r[columns.indexOf(column)] : undefined);
    ANNUAL_COLUMNS.forEach((c, j) => {
      const cell: Omit<PublishedCell, 'where'> = { groupType, statistic: statisticOfName(c.column), value: r[ANNUAL_KEY_COLUMNS.length + j]! };
      const numerator = valueOf(numeratorColumn(c));
      const over = valueOf('over' in c ? c.over : undefined);
      if (numerator !== undefined) cell.numeratorValue = numerator;
      if (over !== undefined) cell.denominatorValue = over;
      cells++;
      for (const problem of cellProblems(cell, policy)) violations.push({ where: where(c.column), value: cell.value, problem });
    });
  }
  return { cells, violations: [...structural, ...violations] };
}
