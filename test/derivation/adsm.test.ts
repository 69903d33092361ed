// The four ADSMs of v2.1 (April 2022: body dysmorphic disorder → BIQ, chronic fatigue → CFQ, IBS → IBS-SSS,
// medically unexplained symptoms → PHQ-15) through the outcome configuration table: with the shipped table their
// referrals are judged on GAD-7 (no published reliable-change value, so not usable: src/dataset/outcomes.ts);
// given both thresholds, the derivation judges them on their own measure. The thresholds below are test values,
// not claims about the NHS ones: the test checks the mechanism.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTCOME_MEASURES, usableForOutcomes, type OutcomeMeasure } from '../../src/dataset/index.js';
import { createSourceViews } from '../../src/derivation/index.js';
import { derivePathways } from '../../src/derivation/pathway.js';
import { openDb } from '../../src/core/db.js';
import { buildNational, type PathwaySpec } from './builder.js';
import { readRows } from '../helpers/db.js';

const root = mkdtempSync(join(tmpdir(), 'iapt-adsm-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Assessment, two treatment sessions; the ADSM's scores and GAD-7 5 → 5, PHQ-9 8 → 8 (neither at caseness). */
const course = (id: string, code: string, scheme: string, tool: string | null, first: number, last: number): PathwaySpec => ({
  id,
  received: '2024-01-10',
  discharged: '2024-05-20',
  complaints: [{ code, scheme }],
  contacts: [
    { day: '2024-01-20', app: '01', scores: { PHQ9: 8, GAD: 5, ...(tool ? { [tool]: first } : {}) } },
    { day: '2024-02-15', app: '02', scores: { PHQ9: 8, GAD: 5 } },
    { day: '2024-03-15', app: '02', scores: { PHQ9: 8, GAD: 5, ...(tool ? { [tool]: last } : {}) } },
  ],
});

const PATHWAYS = [
  course('bdd', '83482000', '04', 'BIQ', 60, 20),
  course('ibs', 'K58.0', '01', 'IBS', 300, 100),
  course('mus', '723916001', '04', 'PHQ15', 20, 8),
  course('cfs', 'G93.3', '01', null, 0, 0),
];

/** The shipped table with test thresholds for the four v2.1 ADSMs (CFQ's cannot be used: it has no scored tool). */
const CONFIGURED: readonly OutcomeMeasure[] = OUTCOME_MEASURES.map((m) => {
  const test: Record<string, Pick<OutcomeMeasure, 'caseness' | 'reliableChange'>> = {
    BIQ: { caseness: { op: '>=', value: 40 }, reliableChange: 10 },
    CFQ: { caseness: { op: '>=', value: 4 }, reliableChange: 2 },
    IBS: { caseness: { op: '>=', value: 75 }, reliableChange: 50 },
    MUS: { caseness: { op: '>=', value: 10 }, reliableChange: 5 },
  };
  return test[m.key] ? { ...m, ...test[m.key] } : m;
});

async function derive(outcomes: readonly OutcomeMeasure[]): Promise<Map<string, Record<string, unknown>>> {
  const dir = join(root, 'national');
  const db = await openDb();
  try {
    await createSourceViews(db, dir);
    await derivePathways(db, '2024-05-31', outcomes);
    const rows = await readRows<Record<string, unknown>>(db, 'SELECT PathwayID, ADSM, ADSM_FirstScore, ADSM_LastScore, Caseness_Flag, NotCaseness_Flag, Recovery_Flag, ReliableImprovement_Flag, NoChange_Flag FROM derived_ids101');
    return new Map(rows.map((r) => [r.PathwayID as string, r]));
  } finally {
    db.close();
  }
}

let shipped: Map<string, Record<string, unknown>>;
let configured: Map<string, Record<string, unknown>>;
beforeAll(async () => {
  await buildNational(join(root, 'national'), PATHWAYS);
  shipped = await derive(OUTCOME_MEASURES);
  configured = await derive(CONFIGURED);
});

describe('the v2.1 ADSMs through the outcome configuration table', () => {
  it('ships none of them usable: no published reliable-change value (BIQ, CFQ, IBS, MUS)', () => {
    expect(OUTCOME_MEASURES.filter((m) => ['BIQ', 'CFQ', 'IBS', 'MUS'].includes(m.key) && usableForOutcomes(m))).toEqual([]);
  });

  it.each(['bdd', 'ibs', 'mus', 'cfs'])('%s: judged on GAD-7 with the shipped table (GAD-7 5 and PHQ-9 8: not at caseness)', (id) => {
    expect(shipped.get(id)).toMatchObject({ ADSM: 'GAD', ADSM_FirstScore: 5, ADSM_LastScore: 5, Caseness_Flag: false, NotCaseness_Flag: true, Recovery_Flag: false, NoChange_Flag: true });
  });

  it('BDD: judged on the BIQ once configured (60 >= 40 caseness; 20 < 40 recovered; a fall of 40 >= 10 reliable)', () => {
    expect(configured.get('bdd')).toMatchObject({ ADSM: 'BIQ', ADSM_FirstScore: 60, ADSM_LastScore: 20, Caseness_Flag: true, NotCaseness_Flag: false, Recovery_Flag: true, ReliableImprovement_Flag: true });
  });

  it('IBS: judged on the IBS-SSS once configured (300 >= 75 caseness; 100 still >= 75, not recovered; a fall of 200 >= 50 reliable)', () => {
    expect(configured.get('ibs')).toMatchObject({ ADSM: 'IBS', ADSM_FirstScore: 300, ADSM_LastScore: 100, Caseness_Flag: true, Recovery_Flag: false, ReliableImprovement_Flag: true });
  });

  it('MUS: judged on the PHQ-15 once configured (20 >= 10 caseness; 8 < 10 recovered; a fall of 12 >= 5 reliable)', () => {
    expect(configured.get('mus')).toMatchObject({ ADSM: 'MUS', ADSM_FirstScore: 20, ADSM_LastScore: 8, Caseness_Flag: true, Recovery_Flag: true, ReliableImprovement_Flag: true });
  });

  it('CFS: still GAD-7 with thresholds, as the CFQ has no accepted assessment code and so no scores', () => {
    expect(configured.get('cfs')).toMatchObject({ ADSM: 'GAD', Caseness_Flag: false, NotCaseness_Flag: true });
  });
});
