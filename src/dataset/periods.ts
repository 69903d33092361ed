// A reporting period is a calendar month, written YYYY-MM (the header's ReportingPeriodStartDate and
// ReportingPeriodEndDate are its first and last day). Every stage takes its bounds from here.
import { IaptError } from '../core/errors.js';

export class PeriodFormatError extends IaptError {
  constructor(message: string) {
    super('usage', message);
    this.name = 'PeriodFormatError';
  }
}

/** The first and last day (ISO dates) of a reporting period; throws PeriodFormatError unless it is YYYY-MM. */
export function periodBounds(period: string): { start: string; end: string } {
  const m = /^(\d{4})-(\d{2})$/.exec(period);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw new PeriodFormatError(`"${period}" is not a reporting period (YYYY-MM)`);
  const end = new Date(Date.UTC(Number(m[1]), Number(m[2]), 0));
  return { start: `${period}-01`, end: end.toISOString().slice(0, 10) };
}

/** Whether `text` is a reporting period (YYYY-MM, a real month). */
export function isPeriod(text: string): boolean {
  try {
    periodBounds(text);
    return true;
  } catch {
    return false;
  }
}

/** The last day of a reporting period (YYYY-MM), as an ISO date. */
export const periodEndOf = (period: string): string => periodBounds(period).end;
