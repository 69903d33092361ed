// Submission windows (reference §6): for reporting period M the Primary window is the 1st to the close day
// of month M+1 and the Refresh window the same in M+2, unless calendar.json in the data directory lists the
// exact NHS dates for a period.
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { writePrivateFile } from '../core/files.js';
import { z } from 'zod';
import { IaptError } from '../core/errors.js';
import { isPeriod } from '../dataset/index.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const CalendarFile = z.object({
  closeDay: z.number().int().min(1).max(28).default(25),
  windows: z.record(z.string().refine(isPeriod), z.object({ primary: z.tuple([z.string().regex(DAY), z.string().regex(DAY)]), refresh: z.tuple([z.string().regex(DAY), z.string().regex(DAY)]) })).default({}),
});
export type Calendar = z.infer<typeof CalendarFile>;

export class CalendarError extends IaptError {
  constructor(message: string) {
    super('input', message);
    this.name = 'CalendarError';
  }
}

export const DEFAULT_CALENDAR: Calendar = { closeDay: 25, windows: {} };

export const CALENDAR_FILE = 'calendar.json';

export function loadCalendar(dataDir: string): Calendar {
  const path = join(dataDir, CALENDAR_FILE);
  if (!existsSync(path)) return DEFAULT_CALENDAR;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CalendarError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = CalendarFile.safeParse(json);
  if (!parsed.success) throw new CalendarError(`${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

const monthPlus = (period: string, n: number): string => {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
};

export interface Windows {
  primary: [string, string];
  refresh: [string, string];
}

export function windowsFor(period: string, calendar: Calendar): Windows {
  const exact = calendar.windows[period];
  if (exact) return { primary: exact.primary, refresh: exact.refresh };
  const day = String(calendar.closeDay).padStart(2, '0');
  const p = monthPlus(period, 1);
  const r = monthPlus(period, 2);
  return { primary: [`${p}-01`, `${p}-${day}`], refresh: [`${r}-01`, `${r}-${day}`] };
}

export interface Placement {
  fileType: 'Primary' | 'Refresh';
  inWindow: boolean;
  windows: Windows;
}

/** Which window a file received at `received` (ISO date-time) falls in for its period. */
export function placeSubmission(period: string, received: string, calendar: Calendar): Placement {
  const windows = windowsFor(period, calendar);
  const day = received.slice(0, 10);
  if (day >= windows.primary[0] && day <= windows.primary[1]) return { fileType: 'Primary', inWindow: true, windows };
  if (day >= windows.refresh[0] && day <= windows.refresh[1]) return { fileType: 'Refresh', inWindow: true, windows };
  return { fileType: day < windows.refresh[0] ? 'Primary' : 'Refresh', inWindow: false, windows };
}

/**
 * Records the exact NHS window dates of a period in the data directory's calendar.json (the admin's job: NHS England
 * moves a window for bank holidays). Each window must start no later than it ends, and the Primary must close before
 * the Refresh opens. The file is replaced in one rename, so a reader sees the old calendar or the new one.
 */
export function setPeriodWindows(dataDir: string, period: string, windows: Windows): Calendar {
  if (!isPeriod(period)) throw new CalendarError(`${period} is not a reporting period (YYYY-MM)`);
  for (const [name, [from, to]] of [['primary', windows.primary], ['refresh', windows.refresh]] as const) {
    if (!DAY.test(from) || !DAY.test(to) || Number.isNaN(Date.parse(from)) || Number.isNaN(Date.parse(to))) throw new CalendarError(`the ${name} window of ${period} must be two dates, YYYY-MM-DD (not ${from} to ${to})`);
    if (from > to) throw new CalendarError(`the ${name} window of ${period} ends (${to}) before it starts (${from})`);
  }
  if (windows.primary[1] >= windows.refresh[0]) throw new CalendarError(`the Primary window of ${period} must close (${windows.primary[1]}) before the Refresh window opens (${windows.refresh[0]})`);
  if (windows.primary[0] <= `${period}-31`) throw new CalendarError(`the Primary window of ${period} must open after the period ends (not ${windows.primary[0]})`);
  const calendar = loadCalendar(dataDir);
  const next: Calendar = { ...calendar, windows: { ...calendar.windows, [period]: { primary: windows.primary, refresh: windows.refresh } } };
  const path = join(dataDir, CALENDAR_FILE);
  const staged = `${path}.${process.pid}.new`;
  writePrivateFile(staged, `${JSON.stringify(next, null, 2)}\n`);
  renameSync(staged, path);
  return next;
}
