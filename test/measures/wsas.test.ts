// WSAS measures M212–M236 and sick pay M237 on hand-built finishers with known answers.
import { describe, expect, it } from 'vitest';
import { ASSESSMENT_TOOLS } from '../../src/dataset/index.js';
import { WSAS } from '../../src/measures/catalogue/wsas.js';
import { measure, type Row, ids } from './fixture.js';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `M${from + i}`);

/** A finisher discharged in May 2024 with WSAS scores given as { Work: [first, last] }, last null when single. */
const finisher = (id: string, scores: Record<string, [number, number | null]>, fields: Row = {}): Row => ({
  PathwayID: id,
  ServDischDate: '2024-05-31',
  CompletedTreatment_Flag: true,
  ...Object.fromEntries(Object.entries(scores).flatMap(([d, [first, last]]) => [[`WASAS_${d}_FirstScore`, first], [`WASAS_${d}_LastScore`, last]])),
  ...fields,
});

const referrals: Row[] = [
  finisher('w1', { Work: [6, 2], HomeManagement: [4, 3], Relationships: [4, 2] }),
  finisher('w2', { Work: [8, 4], SocialLeisureActivities: [5, null] }),
  finisher('w3', { Work: [3, null] }),
  finisher('w6', { PrivateLeisureActivities: [2, 1], Relationships: [8, 0] }),
  finisher('w7', { Work: [1, 0] }),
  // Not counted: not finished, discharged in April, not used for the period.
  finisher('w4', { Work: [7, 1], SocialLeisureActivities: [7, 1] }, { CompletedTreatment_Flag: false }),
  finisher('w5', { Work: [8, 8], HomeManagement: [8, 8] }, { ServDischDate: '2024-04-30' }),
  finisher('w8', { Work: [8, 8], PrivateLeisureActivities: [8, 8] }, { UsePathway_Flag: false }),
];

describe('WSAS paired scores of finishers (M212–M236)', () => {
  it('counts finishers with paired Work scores and summarises their first and last (M212–M216)', async () => {
    const { value, cell } = await measure({ referrals }, ids(...range(212, 216)));
    // w1 (6, 2), w2 (8, 4), w7 (1, 0); w3 has a single score.
    expect(value('M212')).toBe(3);
    expect(value('M213')).toBe(5);
    expect(value('M214')).toBe(6);
    expect(value('M215')).toBe(2);
    expect(value('M216')).toBe(2);
    expect(cell('M213')!.denominator).toBe(3);
  });

  it('does the same for home management, private leisure and relationships (M217–M221, M227–M236)', async () => {
    const { value } = await measure({ referrals }, ids(...range(217, 221), ...range(227, 236)));
    expect([value('M217'), value('M218'), value('M219'), value('M220'), value('M221')]).toEqual([1, 4, 4, 3, 3]);
    expect([value('M227'), value('M228'), value('M229'), value('M230'), value('M231')]).toEqual([1, 2, 2, 1, 1]);
    // w1 (4, 2), w6 (8, 0).
    expect([value('M232'), value('M233'), value('M234'), value('M235'), value('M236')]).toEqual([2, 6, 6, 1, 1]);
  });

  it('gives no paired social leisure scores as a zero count and undefined means and medians (M222–M226)', async () => {
    const { value } = await measure({ referrals }, ids(...range(222, 226)));
    expect(value('M222')).toBe(0);
    for (const id of range(223, 226)) expect(value(id), id).toBeNull();
  });

  it('counts paired social leisure scores and summarises their first and last (M222–M226)', async () => {
    const rows = [
      finisher('s1', { SocialLeisureActivities: [6, 2] }),
      finisher('s2', { SocialLeisureActivities: [3, 1] }),
      finisher('s3', { SocialLeisureActivities: [5, 4], Work: [8, 0] }),
      // Not counted: a single score; paired on another dimension only; not finished; discharged in April; not used.
      finisher('s4', { SocialLeisureActivities: [8, null] }),
      finisher('s5', { HomeManagement: [8, 8] }),
      finisher('s6', { SocialLeisureActivities: [8, 8] }, { CompletedTreatment_Flag: false }),
      finisher('s7', { SocialLeisureActivities: [8, 8] }, { ServDischDate: '2024-04-30' }),
      finisher('s8', { SocialLeisureActivities: [8, 8] }, { UsePathway_Flag: false }),
    ];
    const { value } = await measure({ referrals: rows }, ids(...range(222, 226)));
    // s1 (6, 2), s2 (3, 1), s3 (5, 4): first 3, 5, 6; last 1, 2, 4.
    expect(value('M222')).toBe(3);
    expect(value('M223')).toBeCloseTo(14 / 3, 9);
    expect(value('M224')).toBe(5);
    expect(value('M225')).toBeCloseTo(7 / 3, 9);
    expect(value('M226')).toBe(2);
    expect(value('M222', 'Provider', 'RA1')).toBe(3);
  });

  it('covers every WSAS item of the data set, five measures each', () => {
    const columns = new Set(WSAS.flatMap((m) => (m.statistic === 'mean' ? [m.of.replace(/_(First|Last)Score$/, '')] : [])));
    expect([...columns].sort()).toEqual(ASSESSMENT_TOOLS.filter((t) => t.role === 'wsas').map((t) => t.key).sort());
    expect(WSAS.map((m) => m.id)).toEqual([...range(212, 236), 'M237']);
  });
});

describe('moved off sick pay (M237)', () => {
  it('counts finishers whose first sick-pay indicator is Y and last N', async () => {
    const sick = (id: string, first: string | null, last: string | null, fields: Row = {}) => finisher(id, {}, { SickpayIndicator_First: first, SickpayIndicator_Last: last, ...fields });
    const rows = [
      sick('off', 'Y', 'N'),
      sick('on', 'N', 'Y'),
      sick('still', 'Y', 'Y'),
      sick('unknown', 'Y', 'U'),
      sick('once', 'Y', null),
      sick('unfinished', 'Y', 'N', { CompletedTreatment_Flag: false }),
      sick('april', 'Y', 'N', { ServDischDate: '2024-04-30' }),
    ];
    const { value } = await measure({ referrals: rows }, ids('M237'));
    expect(value('M237')).toBe(1);
    expect(value('M237', 'SubICB', '00X')).toBe(1);
  });
});
