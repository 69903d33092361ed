// Reporting periods for publication: a month, a quarter or a financial year. Each is computed from the
// processed folder of its last month (`iapt process --period`), whose derived tables hold every pathway seen
// up to then; the period's use filter picks the rows its submissions sent.
import { IaptError } from '../core/errors.js';
import { col, fill, literal } from '../core/sql.js';
import { isPeriod, periodBounds, periodEndOf } from '../dataset/index.js';
import { uniqueMonthId } from '../store/identifiers.js';

export type PeriodKind = 'month' | 'quarter' | 'year';

export interface ReportingPeriod {
  kind: PeriodKind;
  /** As given: 2024-09, 2024-Q3, 2024-25. */
  label: string;
  /** First and last day, ISO. */
  start: string;
  end: string;
  /** The month whose processed folder the period is computed from. */
  lastMonth: string;
  /** SQL over derived IDS101, its columns qualified by `alias`: the referral is used for this period. */
  useFilter: (alias?: string) => string;
}

export class PeriodError extends IaptError {
  constructor(message: string) {
    super('usage', message);
    this.name = 'PeriodError';
  }
}

/**
 * `sql` (a measure's condition, a referral item's query: data naming `$start` and `$end`) with the period's first and
 * last day as DATE literals. Filled in rather than bound: the fragments end up inside CREATE VIEW and CREATE TABLE … AS,
 * which take no parameters.
 */
export const bindPeriod = (sql: string, period: Pick<ReportingPeriod, 'start' | 'end'>): string => fill(sql, { start: { date: period.start }, end: { date: period.end } });

const pad = (n: number): string => String(n).padStart(2, '0');

/** A month (YYYY-MM): the referrals in the month's counting submissions (UsePathway_Flag). */
export function monthPeriod(label: string): ReportingPeriod {
  if (!isPeriod(label)) throw new PeriodError(`"${label}" is not a month (YYYY-MM)`);
  const { start, end } = periodBounds(label);
  return { kind: 'month', label, start, end, lastMonth: label, useFilter: (alias) => col(alias, 'UsePathway_Flag') };
}

/**
 * A calendar quarter (YYYY-Qn; Q2 = April–June, the first quarter of the financial year): the referrals
 * in any counting submission of the quarter (UseQuarterReferral_Flag of its last month).
 */
export function quarterPeriod(label: string): ReportingPeriod {
  const m = /^(\d{4})-Q([1-4])$/.exec(label);
  if (!m) throw new PeriodError(`"${label}" is not a quarter (YYYY-Qn)`);
  const [year, quarter] = [Number(m[1]), Number(m[2])];
  const first = 3 * quarter - 2;
  return { kind: 'quarter', label, start: `${year}-${pad(first)}-01`, end: periodEndOf(`${year}-${pad(first + 2)}`), lastMonth: `${year}-${pad(first + 2)}`, useFilter: (alias) => col(alias, 'UseQuarterReferral_Flag') };
}

/**
 * A financial year (YYYY-YY, April to March), or the year to date up to month `upTo`: the referrals in any
 * counting submission of the year — the latest appearance of each pathway (its Unique_MonthID) falls in it.
 * Our reading: NHS England's annual report uses its year-end data in the same way; its flag is not published.
 */
export function yearPeriod(label: string, upTo?: string): ReportingPeriod {
  const m = /^(\d{4})-(\d{2})$/.exec(label);
  if (!m || (Number(m[1]) + 1) % 100 !== Number(m[2])) throw new PeriodError(`"${label}" is not a financial year (YYYY-YY, e.g. 2024-25)`);
  const year = Number(m[1]);
  const last = upTo ?? `${year + 1}-03`;
  if (last < `${year}-04` || last > `${year + 1}-03`) throw new PeriodError(`${last} is not in the financial year ${label}`);
  const lastMonth = monthPeriod(last);
  const [from, to] = [uniqueMonthId(`${year}-04`), uniqueMonthId(last)];
  const toDate = last === `${year + 1}-03` ? '' : ` to ${last}`;
  return { kind: 'year', label: `${label}${toDate}`, start: `${year}-04-01`, end: lastMonth.end, lastMonth: last, useFilter: (alias) => `${col(alias, 'Unique_MonthID')} BETWEEN ${literal(from)} AND ${literal(to)}` };
}
