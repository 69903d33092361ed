import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { uniqueMonthId } from '../../src/store/identifiers.js';
import { isPeriod } from '../../src/dataset/index.js';
import { CalendarError, DEFAULT_CALENDAR, loadCalendar, placeSubmission, setPeriodWindows, windowsFor } from '../../src/store/windows.js';

describe('submission windows', () => {
  it('puts a file in the Primary window (month after the period) or the Refresh window (the month after that)', () => {
    expect(windowsFor('2024-04', DEFAULT_CALENDAR)).toEqual({ primary: ['2024-05-01', '2024-05-25'], refresh: ['2024-06-01', '2024-06-25'] });
    expect(placeSubmission('2024-04', '2024-05-01T00:00:00', DEFAULT_CALENDAR)).toMatchObject({ fileType: 'Primary', inWindow: true });
    expect(placeSubmission('2024-04', '2024-05-25T23:59:59', DEFAULT_CALENDAR)).toMatchObject({ fileType: 'Primary', inWindow: true });
    expect(placeSubmission('2024-04', '2024-06-10T09:00:00', DEFAULT_CALENDAR)).toMatchObject({ fileType: 'Refresh', inWindow: true });
    expect(placeSubmission('2024-12', '2025-02-03T09:00:00', DEFAULT_CALENDAR)).toMatchObject({ fileType: 'Refresh', inWindow: true });
  });

  it('marks files outside every window as late: between windows, after the Refresh window, before the period ends', () => {
    expect(placeSubmission('2024-04', '2024-05-28T09:00:00', DEFAULT_CALENDAR)).toMatchObject({ fileType: 'Primary', inWindow: false });
    expect(placeSubmission('2024-04', '2024-07-02T09:00:00', DEFAULT_CALENDAR)).toMatchObject({ fileType: 'Refresh', inWindow: false });
    expect(placeSubmission('2024-04', '2024-04-30T09:00:00', DEFAULT_CALENDAR)).toMatchObject({ fileType: 'Primary', inWindow: false });
  });

  it('uses exact NHS dates from the calendar override and a configurable close day', () => {
    const calendar = { closeDay: 20, windows: { '2022-05': { primary: ['2022-06-01', '2022-06-29'] as [string, string], refresh: ['2022-07-01', '2022-07-27'] as [string, string] } } };
    expect(placeSubmission('2022-05', '2022-06-28T09:00:00', calendar)).toMatchObject({ fileType: 'Primary', inWindow: true });
    expect(placeSubmission('2022-06', '2022-07-21T09:00:00', calendar)).toMatchObject({ fileType: 'Primary', inWindow: false });
  });
});

describe('calendar.json', () => {
  it('reads exact windows by reporting period, and refuses a key that is not one (YYYY-MM, a real month)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'iapt-calendar-'));
    try {
      const windows = { primary: ['2022-06-01', '2022-06-29'], refresh: ['2022-07-01', '2022-07-27'] };
      writeFileSync(join(dir, 'calendar.json'), JSON.stringify({ windows: { '2022-05': windows } }));
      expect(loadCalendar(dir)).toEqual({ closeDay: 25, windows: { '2022-05': windows } });
      writeFileSync(join(dir, 'calendar.json'), JSON.stringify({ windows: { '2022-13': windows } }));
      expect(() => loadCalendar(dir)).toThrow(CalendarError);
      expect(() => loadCalendar(dir)).toThrow(/calendar\.json: windows\.2022-13: Invalid key/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(['2024-04', '2024-12'].map(isPeriod)).toEqual([true, true]);
    expect(['2024-13', '2024-4', '2024-04-01', 'x'].map(isPeriod)).toEqual([false, false, false, false]);
  });
});

describe('NHS derived identifiers', () => {
  it('counts Unique_MonthID in months since April 1900 (2019-04 → 1429, 2020-01 → 1438)', () => {
    expect(uniqueMonthId('2019-04')).toBe(1429);
    expect(uniqueMonthId('2020-01')).toBe(1438);
    expect(uniqueMonthId('1900-04')).toBe(1);
  });
});

describe('setPeriodWindows (the admin records NHS dates)', () => {
  it('writes the period into calendar.json, keeps the others, and submissions are placed by it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'iapt-calendar-'));
    try {
      writeFileSync(join(dir, 'calendar.json'), JSON.stringify({ closeDay: 25, windows: { '2022-05': { primary: ['2022-06-01', '2022-06-29'], refresh: ['2022-07-01', '2022-07-27'] } } }));
      // Christmas: the December 2024 Primary window closed early (dates here are an example, not NHS England's).
      setPeriodWindows(dir, '2024-12', { primary: ['2025-01-02', '2025-01-22'], refresh: ['2025-02-03', '2025-02-24'] });
      const calendar = loadCalendar(dir);
      expect(Object.keys(calendar.windows).sort()).toEqual(['2022-05', '2024-12']);
      expect(placeSubmission('2024-12', '2025-01-23T09:00:00', calendar)).toMatchObject({ fileType: 'Primary', inWindow: false });
      expect(placeSubmission('2024-12', '2025-02-24T09:00:00', calendar)).toMatchObject({ fileType: 'Refresh', inWindow: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['2024-13', { primary: ['2025-01-02', '2025-01-22'], refresh: ['2025-02-03', '2025-02-24'] }, 'not a reporting period'],
    ['2024-12', { primary: ['2025-01-22', '2025-01-02'], refresh: ['2025-02-03', '2025-02-24'] }, 'ends (2025-01-02) before it starts'],
    ['2024-12', { primary: ['2025-01-02', '2025-02-05'], refresh: ['2025-02-03', '2025-02-24'] }, 'must close (2025-02-05) before the Refresh window opens'],
    ['2024-12', { primary: ['2024-12-20', '2025-01-22'], refresh: ['2025-02-03', '2025-02-24'] }, 'must open after the period ends'],
    ['2024-12', { primary: ['2025-01-02', '2025-01-xx'], refresh: ['2025-02-03', '2025-02-24'] }, 'must be two dates'],
  ] as const)('refuses %s %j', (period, windows, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'iapt-calendar-'));
    try {
      expect(() => setPeriodWindows(dir, period, { primary: [...windows.primary], refresh: [...windows.refresh] })).toThrow(message);
      expect(loadCalendar(dir)).toEqual(DEFAULT_CALENDAR);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
