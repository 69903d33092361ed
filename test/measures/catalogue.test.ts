// The catalogue against NHS England's measure metadata (metadata_measures_monthly): ids, names and
// frequencies exactly as published; every Core, LTC and EA measure either implemented or listed as a gap
// with its reason. Prints the coverage.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/core/db.js';
import { literal } from '../../src/core/sql.js';
import { GAPS, MEASURES, withDependencies } from '../../src/measures/catalogue/index.js';
import { readRows } from '../helpers/db.js';

const METADATA = fileURLToPath(new URL('../../reference/nhs/metadata_measures_monthly.parquet', import.meta.url));

interface Published {
  measure_type: string;
  measure_id: string;
  measure_name: string;
  frequency: string;
}

async function published(): Promise<Published[]> {
  const db = await openDb();
  try {
    return await readRows<Published>(db, `SELECT DISTINCT measure_type, measure_id, measure_name, frequency FROM read_parquet(${literal(METADATA)}) WHERE measure_type IN ('Core', 'LTC', 'EA')`);
  } finally {
    db.close();
  }
}

describe('measure catalogue', () => {
  it('uses the NHS ids, names and frequencies exactly', async () => {
    const nhs = new Map((await published()).map((m) => [m.measure_id, m]));
    for (const m of MEASURES) {
      const p = nhs.get(m.id);
      expect(p, `${m.id} is not an NHS measure`).toBeDefined();
      expect(m.name, m.id).toBe(p!.measure_name);
      expect(m.frequency, m.id).toBe(p!.frequency);
    }
    for (const g of GAPS) expect(g.name, g.id).toBe(nhs.get(g.id)?.measure_name);
  });

  it('has each measure once, and every percentage refers to measures it holds', () => {
    const ids = [...MEASURES, ...GAPS].map((m) => m.id);
    expect(ids.length).toBe(new Set(ids).size);
    const named = MEASURES.flatMap((m) => (m.statistic === 'percentage' ? [...m.numerator, ...m.denominator] : m.statistic === 'total' ? m.terms : []))
      .filter((t): t is string => typeof t === 'string')
      .map((t) => t.replace(/^-/, ''));
    expect(named.length, 'references collected').toBeGreaterThan(50);
    expect(named.filter((id) => !ids.includes(id))).toEqual([]);
    // The catalogue is closed under its references: adding the dependencies adds nothing.
    expect(withDependencies(MEASURES).map((m) => m.id)).toEqual(MEASURES.map((m) => m.id));
  });

  it('accounts for every NHS measure, and prints the coverage', async () => {
    const nhs = await published();
    const implemented = new Set(MEASURES.map((m) => m.id));
    const gaps = new Set(GAPS.map((g) => g.id));
    const lines: string[] = [];
    for (const type of ['Core', 'LTC', 'EA']) {
      const of = nhs.filter((m) => m.measure_type === type);
      const done = of.filter((m) => implemented.has(m.measure_id)).length;
      lines.push(`${type.padEnd(4)} ${String(done).padStart(3)} of ${String(of.length).padStart(3)} implemented, ${of.filter((m) => gaps.has(m.measure_id)).length} listed as gaps`);
    }
    console.log(`Measure coverage against metadata_measures_monthly:\n  ${lines.join('\n  ')}`);
    const unaccounted = nhs.filter((m) => !implemented.has(m.measure_id) && !gaps.has(m.measure_id)).map((m) => `${m.measure_id} ${m.measure_name}`);
    expect(unaccounted).toEqual([]);
  });
});
