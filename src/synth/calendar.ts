// Dates as whole day numbers (days since 1970-01-01, UTC) so that generation does no Date allocation in loops.

const MS_PER_DAY = 86_400_000;

export function dayOf(iso: string): number {
  return Math.floor(Date.parse(`${iso}T00:00:00Z`) / MS_PER_DAY);
}

const isoCache = new Map<number, string>();
export function isoDate(day: number): string {
  let s = isoCache.get(day);
  if (s === undefined) {
    s = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    isoCache.set(day, s);
  }
  return s;
}

export interface Month {
  /** YYYY-MM */
  id: string;
  year: number;
  /** 1–12 */
  month: number;
  startDay: number;
  endDay: number;
}

export function monthOf(id: string): Month {
  const m = /^(\d{4})-(\d{2})$/.exec(id);
  if (!m) throw new Error(`"${id}" is not a month (YYYY-MM)`);
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (month < 1 || month > 12) throw new Error(`"${id}" is not a month (YYYY-MM)`);
  const startDay = Math.floor(Date.UTC(year, month - 1, 1) / MS_PER_DAY);
  const endDay = Math.floor(Date.UTC(year, month, 1) / MS_PER_DAY) - 1;
  return { id, year, month, startDay, endDay };
}

export function addMonths(id: string, n: number): string {
  const { year, month } = monthOf(id);
  const index = year * 12 + (month - 1) + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Months from `from` to `to` inclusive, from a range such as 2024-04..2025-03 (or a single month). */
export function monthRange(range: string): Month[] {
  const [from = '', to = from] = range.split('..');
  if (!from) throw new Error(`"${range}" is not a month range (YYYY-MM..YYYY-MM)`);
  const first = monthOf(from);
  const last = monthOf(to);
  if (last.startDay < first.startDay) throw new Error(`month range "${range}" ends before it starts`);
  const months: Month[] = [];
  for (let id = first.id; ; id = addMonths(id, 1)) {
    months.push(monthOf(id));
    if (id === last.id) break;
  }
  return months;
}

/** Whole years between a birth day and another day. */
export function ageOn(birthDay: number, day: number): number {
  const b = new Date(birthDay * MS_PER_DAY);
  const d = new Date(day * MS_PER_DAY);
  let age = d.getUTCFullYear() - b.getUTCFullYear();
  if (d.getUTCMonth() < b.getUTCMonth() || (d.getUTCMonth() === b.getUTCMonth() && d.getUTCDate() < b.getUTCDate())) age--;
  return age;
}
