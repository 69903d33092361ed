// The synthetic population, measured the way the NHS measures it, lands near the published 2023-24
// England figures (measures-and-outcomes.md §3). Outcomes are recomputed here from the recorded scores
// with the thresholds of src/dataset/outcomes.ts, independently of how the generator chose them.
import { describe, expect, it } from 'vitest';
import { anxietyMeasureFor, atCaseness, outcomeMeasure, toolByKey, type OutcomeMeasure } from '../../src/dataset/index.js';
import { monthOf } from '../../src/synth/calendar.js';
import { simulateProvider } from '../../src/synth/generate.js';
import type { Pathway } from '../../src/synth/pathway.js';
import { buildReference } from '../../src/synth/reference.js';

const TREATMENT = new Set(['02', '03', '05']);
const attended = (a: string) => a === '5' || a === '6';

function scores(p: Pathway, snomed: string): number[] {
  const found: { day: number; order: number; value: number }[] = [];
  let order = 0;
  for (const c of p.contacts) {
    if (c.appType === '06' || !attended(c.attend) || c.day < p.receivedDay || c.day > p.dischargeDay!) continue;
    for (const a of c.activities) for (const s of a.scores) if (s.tool === snomed) found.push({ day: c.day, order: order++, value: Number(s.score) });
  }
  for (const s of p.referralScores) if (s.tool === snomed && s.day <= p.dischargeDay!) found.push({ day: s.day, order: order++, value: Number(s.score) });
  return found.sort((x, y) => x.day - y.day || x.order - y.order).map((f) => f.value);
}

function outcome(p: Pathway) {
  const phq = scores(p, toolByKey('PHQ9').snomed);
  let anxiety: OutcomeMeasure = anxietyMeasureFor(p.descriptor?.id ?? 'NotStated');
  let anx = anxiety.key === 'GAD' ? [] : scores(p, toolByKey(anxiety.toolKey!).snomed);
  if (anx.length === 0) {
    anxiety = outcomeMeasure('GAD');
    anx = scores(p, toolByKey('GAD').snomed);
  }
  const PHQ9 = outcomeMeasure('PHQ9');
  if (phq.length === 0 || anx.length === 0) return { caseness: false, notCaseness: false, recovered: false, improved: false, deteriorated: false, noChange: false };
  const caseness = atCaseness(PHQ9, phq[0]!) || atCaseness(anxiety, anx[0]!);
  const paired = phq.length >= 2 && anx.length >= 2;
  if (!paired) return { caseness, notCaseness: !caseness, recovered: false, improved: false, deteriorated: false, noChange: false };
  const [d1, dl, a1, al] = [phq[0]!, phq[phq.length - 1]!, anx[0]!, anx[anx.length - 1]!];
  const fall = (first: number, last: number, m: OutcomeMeasure) => Math.round((first - last) * 100) / 100 >= m.reliableChange!;
  const rise = (first: number, last: number, m: OutcomeMeasure) => Math.round((last - first) * 100) / 100 >= m.reliableChange!;
  const anyFall = fall(d1, dl, PHQ9) || fall(a1, al, anxiety);
  const anyRise = rise(d1, dl, PHQ9) || rise(a1, al, anxiety);
  const improved = anyFall && !anyRise;
  const deteriorated = anyRise && !anyFall;
  return { caseness, notCaseness: !caseness, recovered: caseness && !atCaseness(PHQ9, dl) && !atCaseness(anxiety, al), improved, deteriorated, noChange: !improved && !deteriorated };
}

describe('synthetic outcomes at national volumes', () => {
  const first = monthOf('2024-04');
  const last = monthOf('2025-03');
  const ref = buildReference('calibration', { providers: 5, practicesPerProvider: 10, lsoasPerProvider: 60, postcodesPerLsoa: 1 });
  const pathways = ref.providers.flatMap((p) => simulateProvider('calibration', { ...p, weight: 1.4 }, ref, 'national', first, last).pathways);
  const finishers = pathways.filter((p) => {
    if (p.dischargeDay === null || p.dischargeDay < first.startDay || p.dischargeDay > last.endDay) return false;
    const sessions = p.contacts.filter((c) => TREATMENT.has(c.appType) && attended(c.attend) && c.day >= p.receivedDay && c.day <= p.dischargeDay!);
    return sessions.length >= 2;
  });
  const pct = (n: number, d: number) => (100 * n) / d;
  const results = finishers.map(outcome);
  const notCaseness = results.filter((r) => r.notCaseness).length;

  it('has enough finishers to measure', () => {
    expect(finishers.length).toBeGreaterThan(15_000);
  });

  it('recovers about half of finishers at caseness (published 50.1 %)', () => {
    const recovery = pct(results.filter((r) => r.recovered).length, finishers.length - notCaseness);
    expect(recovery).toBeGreaterThan(47);
    expect(recovery).toBeLessThan(53);
  });

  it('improves about two thirds reliably (66.8 %), deteriorates about 6 % (5.9 %), no change about 26 %', () => {
    expect(pct(results.filter((r) => r.improved).length, finishers.length)).toBeGreaterThan(63);
    expect(pct(results.filter((r) => r.improved).length, finishers.length)).toBeLessThan(70);
    expect(pct(results.filter((r) => r.deteriorated).length, finishers.length)).toBeGreaterThan(4.5);
    expect(pct(results.filter((r) => r.deteriorated).length, finishers.length)).toBeLessThan(7.5);
    expect(pct(results.filter((r) => r.noChange).length, finishers.length)).toBeGreaterThan(22);
    expect(pct(results.filter((r) => r.noChange).length, finishers.length)).toBeLessThan(30);
  });

  it('treats about 90 % of finishers within 6 weeks (90.5 %) and 98 % within 18 weeks (98.4 %)', () => {
    const waits = finishers.map((p) => p.contacts.find((c) => TREATMENT.has(c.appType) && attended(c.attend))!.day - p.receivedDay);
    expect(pct(waits.filter((w) => w <= 42).length, waits.length)).toBeGreaterThan(87);
    expect(pct(waits.filter((w) => w <= 42).length, waits.length)).toBeLessThan(94);
    expect(pct(waits.filter((w) => w <= 126).length, waits.length)).toBeGreaterThan(97);
  });

  it('gives finishers about 7–8 treatment sessions on average (7.9 in 2021-22)', () => {
    const sessions = finishers.map((p) => p.contacts.filter((c) => TREATMENT.has(c.appType) && attended(c.attend)).length);
    const mean = sessions.reduce((a, b) => a + b, 0) / sessions.length;
    expect(mean).toBeGreaterThan(6.5);
    expect(mean).toBeLessThan(9);
  });

  it('finishes about 37 % of referrals as a course of treatment', () => {
    const received = pathways.filter((p) => p.receivedDay >= first.startDay && p.receivedDay <= last.endDay).length;
    expect(pct(finishers.length, received)).toBeGreaterThan(30);
    expect(pct(finishers.length, received)).toBeLessThan(42);
  });

  it('keeps the published problem-descriptor mix among finishers (depression 43 %, GAD 27 %)', () => {
    const share = (id: string) => pct(finishers.filter((p) => p.descriptor?.id === id).length, finishers.length);
    expect(share('Depression')).toBeGreaterThan(38);
    expect(share('Depression')).toBeLessThan(47);
    expect(share('GAD')).toBeGreaterThan(22);
    expect(share('GAD')).toBeLessThan(31);
  });

  it('recovers fewer of the most deprived than of the least deprived (42.3 % vs 56.1 %)', () => {
    const rate = (low: number, high: number) => {
      const group = finishers.map((p, i) => [p, results[i]!] as const).filter(([p]) => p.patient.lsoa.imdDecile >= low && p.patient.lsoa.imdDecile <= high);
      return pct(group.filter(([, r]) => r.recovered).length, group.filter(([, r]) => !r.notCaseness).length);
    };
    expect(rate(1, 3)).toBeLessThan(rate(8, 10) - 4);
  });
});
