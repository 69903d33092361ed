// Submission windows (reference §6): for reporting period M the Primary window is the 1st to the close day
// of month M+1 and the Refresh window the same in M+2, unless calendar.json in the data directory lists the
// exact NHS dates for a period.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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

export function loadCalendar(dataDir: string): Calendar {
  const path = join(dataDir, 'calendar.json');
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
