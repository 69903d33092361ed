// Outcome items in the Kysely manner: what each compiles to, so a reviewer can read what runs, and what it gives
// on a few rows. The context is the shipped outcome table cut to PHQ-9, GAD-7 and one ADSM (PCL-5 for PTSD), so
// the SQL stays short; its values are the shipped ones (src/dataset/outcomes.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/core/db.js';
import { values, type SqlValue } from '../../src/core/sql.js';
import { OUTCOME_MEASURES } from '../../src/dataset/index.js';
import { outcomeItem, type DerivationContext } from '../../src/derivation/outcomes.js';
import { stepSql, PATHWAY_STEPS } from '../../src/derivation/pathway.js';

const ctx: DerivationContext = { periodEnd: '2024-05-31', outcomes: OUTCOME_MEASURES.filter((m) => ['PHQ9', 'GAD', 'PTSD'].includes(m.key)) };
const sql = (name: string) => outcomeItem(name).sql(ctx);

let db: Db;
beforeAll(async () => {
  db = await openDb();
});
afterAll(() => db.close());

/** The item over rows of the given columns, one result per row. */
async function evaluate(expression: string, columns: string[], rows: SqlValue[][]): Promise<unknown[]> {
  const result = await db.all(`SELECT ${expression} AS v FROM (VALUES ${values(rows)}) t(${columns.join(', ')})`);
  return result.map((r) => r.v);
}

describe('CompletedTreatment_Flag (M076: discharged after at least two treatment appointments)', () => {
  it('compiles to the discharge test and the threshold of src/dataset/derivation.ts', () => {
    expect(sql('CompletedTreatment_Flag')).toBe("ServDischDate IS NOT NULL AND trim(ServDischDate) <> '' AND TreatmentCareContact_Count >= 2");
  });

  it('is true only with a discharge date and two or more treatment appointments', async () => {
    const rows: SqlValue[][] = [
      ['2024-05-20', 2], // discharged, two sessions: finished
      ['2024-05-20', 1], // one session: ended treated once (M075), not finished
      [null, 5], // still open
      ['  ', 3], // a blank discharge date is no discharge
    ];
    expect(await evaluate(sql('CompletedTreatment_Flag'), ['ServDischDate', 'TreatmentCareContact_Count'], rows)).toEqual([true, false, false, false]);
  });
});

describe('Caseness_Flag (measures §1.3: PHQ-9 first score >= 10, or the anxiety measure’s first score at its cut-off)', () => {
  it('compiles to PHQ-9 >= 10 or the ADSM’s own cut-off, GAD-7 >= 8 otherwise', () => {
    expect(sql('Caseness_Flag')).toBe(
      "coalesce((PHQ9_FirstScore >= 10), false) OR coalesce((CASE ADSM WHEN 'PTSD' THEN (ADSM_FirstScore >= 32) ELSE (ADSM_FirstScore >= 8) END), false)",
    );
  });

  it('judges each score on its own measure, and a missing score as not at caseness', async () => {
    const rows: SqlValue[][] = [
      [10, 'GAD', 0], // PHQ-9 at its cut-off
      [9, 'GAD', 8], // GAD-7 at its cut-off
      [9, 'GAD', 7], // both just below
      [9, 'PTSD', 31], // 31 would be caseness on GAD-7, not on PCL-5 (>= 32)
      [9, 'PTSD', 32],
      [null, null, null], // no first scores at all
    ];
    expect(await evaluate(sql('Caseness_Flag'), ['PHQ9_FirstScore', 'ADSM', 'ADSM_FirstScore'], rows)).toEqual([true, true, false, false, true, false]);
  });
});

describe('ReliableImprovement_Flag (measures §1.3: a reliable fall on either measure, a reliable rise on neither)', () => {
  const columns = ['CompletedTreatment_Flag', 'paired', 'ADSM', 'PHQ9_FirstScore', 'PHQ9_LastScore', 'ADSM_FirstScore', 'ADSM_LastScore'];
  /** The item over the reliable-change items it reads (fall_any, rise_any), as in derived_ids101. */
  const improvement = async (rows: SqlValue[][]) => {
    const changes = `SELECT *, ${sql('fall_any')} AS fall_any, ${sql('rise_any')} AS rise_any FROM (VALUES ${values(rows)}) t(${columns.join(', ')})`;
    return (await db.all(`SELECT ${sql('ReliableImprovement_Flag')} AS v FROM (${changes})`)).map((r) => r.v);
  };

  it('compiles to the finished, paired, fall and no-rise conjunction over the reliable-change items', () => {
    expect(sql('ReliableImprovement_Flag')).toBe('coalesce(CompletedTreatment_Flag AND paired AND fall_any AND NOT rise_any, false)');
    expect(sql('fall_any')).toBe(
      "coalesce((round(PHQ9_FirstScore - PHQ9_LastScore, 2) >= 6) OR (round(ADSM_FirstScore - ADSM_LastScore, 2) >= (CASE ADSM WHEN 'PTSD' THEN 10 ELSE 4 END)), false)",
    );
  });

  it('counts falls of exactly the reliable-change value (PHQ-9 6, GAD-7 4, PCL-5 10), not one point less', async () => {
    expect(
      await improvement([
        [true, true, 'GAD', 16, 10, 8, 8], // PHQ-9 falls 6
        [true, true, 'GAD', 16, 11, 12, 9], // PHQ-9 falls 5, GAD-7 3: neither reliable
        [true, true, 'GAD', 12, 12, 12, 8], // GAD-7 falls 4
        [true, true, 'PTSD', 12, 12, 50, 41], // PCL-5 falls 9 (< 10), though 9 >= 4 would be reliable on GAD-7
        [true, true, 'GAD', 20, 12, 8, 12], // PHQ-9 falls 8 but GAD-7 rises 4: no improvement
        [false, true, 'GAD', 20, 5, 14, 3], // not finished
        [true, false, 'GAD', 20, 5, 14, null], // not paired
      ]),
    ).toEqual([true, false, true, false, false, false, false]);
  });
});

describe('the pathway steps', () => {
  it('create one temporary table each, ending in derived_ids101', () => {
    expect(PATHWAY_STEPS.map((s) => s.table)).toEqual([
      'span', 'contact', 'activity', 'visit', 'contact_items', 'activity_items', 'iet_items', 'employment_items', 'tool', 'score', 'score_pair', 'score_items', 'descriptor', 'base', 'with_anxiety', 'derived_ids101',
    ]);
    expect(stepSql(PATHWAY_STEPS[0]!, ctx)).toBe("CREATE OR REPLACE TEMP TABLE span AS SELECT PathwayID, d(ReferralRequestReceivedDate) AS start_day, coalesce(d(ServDischDate), DATE '2024-05-31') AS end_day FROM n101");
  });
});
