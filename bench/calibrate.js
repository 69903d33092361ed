// Calibration: our published England rates for a period against NHS England's published 2023-24 national rates
// (measures-and-outcomes.md §3.1–3.2), within ±1.5 points. Run after a national-scale synthetic year has been
// submitted and processed (npm run bench with BENCH_NATIONAL_MONTHS=2024-04..2025-03), or on its own:
//   node bench/calibrate.js DATA_DIR YYYY-MM [YYYY-YY] [REFERENCE_DIR]
import { ENGLAND_2023_24 } from '../dist/measures/england2023-24.js';

export const TOLERANCE = 1.5;

/** Rows of ours vs published from a publish() result's headline, for its widest period. */
export function calibrationTable(result) {
  const period = result.periods[result.periods.length - 1];
  return ENGLAND_2023_24.map(({ id, label, percent: published }) => {
    const ours = Number(result.headline.find((h) => h.id === id)?.values[period]);
    return { id, label, period, ours, published, difference: ours - published, within: Math.abs(ours - published) <= TOLERANCE };
  });
}

export function formatCalibration(rows) {
  const lines = [`${'measure'.padEnd(28)}${'ours'.padStart(8)}${'2023-24'.padStart(9)}${'diff'.padStart(7)}  within ±${TOLERANCE}`];
  for (const r of rows) lines.push(`${`${r.id} ${r.label}`.padEnd(28)}${r.ours.toFixed(1).padStart(8)}${r.published.toFixed(1).padStart(9)}${r.difference.toFixed(1).padStart(7)}  ${r.within ? 'yes' : 'NO'}`);
  return lines.join('\n');
}

export async function main([dataDir, period, year, referenceDir]) {
  const { publish } = await import('../dist/measures/publish/index.js');
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const out = mkdtempSync(join(tmpdir(), 'iapt-calibrate-'));
  const result = await publish({ dataDir, period, ...(year ? { year } : {}), policy: 'nhs-tt', out, ...(referenceDir ? { referenceDir } : {}) });
  const rows = calibrationTable(result);
  console.log(formatCalibration(rows));
  return rows.every((r) => r.within) ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main(process.argv.slice(2));
