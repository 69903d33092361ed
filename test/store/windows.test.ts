import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { uniqueMonthId } from '../../src/store/identifiers.js';
import { isPeriod } from '../../src/dataset/index.js';
import { CalendarError, DEFAULT_CALENDAR, loadCalendar, placeSubmission, windowsFor } from '../../src/store/windows.js';

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
