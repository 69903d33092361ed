// Measures on a hand-built derived IDS101 table with known answers, and names checked against the NHS metadata.
import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/intake/duckdb.js';
import { MEASURES } from '../../src/measures/catalogue.js';
import { computeMeasures, type MeasureValue } from '../../src/measures/compute.js';

const METADATA = new URL('../../../shared/external/nhs-tt-published/metadata_measures_monthly.parquet', import.meta.url).pathname;

// id, provider, sub-ICB, received, first treatment, discharged, care contacts, treatment contacts, flags (finished, not caseness, recovered, improved, deteriorated, no change), use
type P = [string, string, string, string, string | null, string | null, number, number, [boolean, boolean, boolean, boolean, boolean, boolean], boolean?];
const PATHWAYS: P[] = [
  ['a', 'RA1', '00X', '2024-05-02', '2024-05-10', null, 2, 1, [false, false, false, false, false, false]],
  ['b', 'RA1', '00X', '2024-03-01', '2024-03-20', '2024-05-20', 8, 7, [true, false, true, true, false, false]],
  ['c', 'RA1', '00X', '2024-02-01', '2024-02-10', '2024-05-21', 6, 5, [true, false, false, false, true, false]],
  ['d', 'RA1', '00Y', '2024-01-01', '2024-03-01', '2024-05-05', 4, 3, [true, true, false, false, false, true]],
  ['e', 'RB2', '00Y', '2024-04-01', '2024-04-05', '2024-05-06', 10, 9, [true, false, true, true, false, false]],
  ['f', 'RB2', '00Y', '2024-05-03', null, '2024-05-30', 0, 0, [false, false, false, false, false, false]],
  ['g', 'RB2', '00Y', '2024-04-20', null, '2024-05-15', 1, 0, [false, false, false, false, false, false]],
  ['h', 'RB2', '00Y', '2024-05-09', null, null, 0, 0, [false, false, false, false, false, false], false],
];

async function compute(): Promise<MeasureValue[]> {
  const db = await openDb();
  try {
    const values = PATHWAYS.map(
      ([id, provider, sub, received, first, discharged, cc, tc, [fin, nc, rec, imp, det, noc], use = true]) =>
        `('${id}', ${use}, '${received}', ${discharged ? `'${discharged}'` : 'NULL'}, ${first ? `DATE '${first}'` : 'NULL'}, ${first ? `DATE '${first}'` : 'NULL'}, ${cc}, ${tc}, ${fin}, ${nc}, ${rec}, ${imp}, ${det}, ${noc}, 'Y56', 'QAA', '${sub}', '${provider}')`,
    );
    await db.run(
      `CREATE TABLE derived AS SELECT * FROM (VALUES ${values.join(', ')}) t(PathwayID, UsePathway_Flag, ReferralRequestReceivedDate, ServDischDate, TherapySession_FirstDate, Assessment_FirstDate, ` +
        `CareContact_Count, TreatmentCareContact_Count, CompletedTreatment_Flag, NotCaseness_Flag, Recovery_Flag, ReliableImprovement_Flag, ReliableDeterioration_Flag, NoChange_Flag, CommissioningRegion, OrgIDICBComm, OrgIDComm, OrgID_Provider)`,
    );
    return await computeMeasures(db, 'derived', '2024-05-01', '2024-05-31');
  } finally {
    db.close();
  }
}

describe('measures', () => {
  it('compute the known answers for England and below', async () => {
    const values = await compute();
    const get = (group: string, org1: string, id: string, org2 = 'all') => values.find((v) => v.groupType === group && v.org1 === org1 && v.org2 === org2 && v.measure.id === id)!.value;
    // England: referrals received in May (a, f; h is not used for the period), entered treatment in May (a).
    expect(get('England', 'all', 'M001')).toBe(2);
    expect(get('England', 'all', 'M031')).toBe(1);
    expect(get('England', 'all', 'M036')).toBe(1);
    // Endings in May: b, c, d, e, f, g; finished b, c, d, e; not seen f; seen not treated g.
    expect(get('England', 'all', 'M056')).toBe(6);
    expect(get('England', 'all', 'M076')).toBe(4);
    expect(get('England', 'all', 'M073')).toBe(1);
    expect(get('England', 'all', 'M074')).toBe(1);
    expect(get('England', 'all', 'M141')).toBe(6);
    // Outcomes: recovery b, e of (4 finished − 1 not at caseness); improvement b, e of 4; deterioration c.
    expect(get('England', 'all', 'M191')).toBe(2);
    expect(get('England', 'all', 'M192')).toBeCloseTo(66.667, 2);
    expect(get('England', 'all', 'M186')).toBe(50);
    expect(get('England', 'all', 'M1010')).toBe(25);
    expect(get('England', 'all', 'M195')).toBeCloseTo(66.667, 2);
    // Below England.
    expect(get('Provider', 'RA1', 'M076')).toBe(3);
    expect(get('Provider', 'RB2', 'M076')).toBe(1);
    expect(get('SubICB', '00Y', 'M076')).toBe(2);
    expect(get('SubICB/Provider', '00Y', 'M076', 'RA1')).toBe(1);
    expect(get('CommissioningRegion', 'Y56', 'M001')).toBe(2);
    expect(get('ICB', 'QAA', 'M076')).toBe(4);
  });

  it('use the NHS ids and names exactly', async () => {
    const db = await openDb();
    try {
      const rows = await db.all<{ measure_id: string; measure_name: string }>(`SELECT DISTINCT measure_id, measure_name FROM read_parquet('${METADATA}')`);
      const names = new Map(rows.map((r) => [r.measure_id, r.measure_name]));
      for (const m of MEASURES) expect(names.get(m.id), m.id).toBe(m.name);
    } finally {
      db.close();
    }
  });
});
