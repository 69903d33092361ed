// Publishes a processed period (all group types; with its quarter and financial year to date) from a data
// directory filled by bench/submit-month.js and bench/process-month.js, and prints the cells written and the
// calibration table. Run through bench/rusage.js.
import { readFileSync } from 'node:fs';
import { calibrationTable } from './calibrate.js';

export async function main([dataDir, period, referenceDir, out]) {
  const { publish } = await import('../dist/measures/publish/index.js');
  const month = Number(period.slice(5));
  const year = Number(period.slice(0, 4)) - (month < 4 ? 1 : 0);
  const result = await publish({
    dataDir,
    period,
    // A quarter is published from its last month only (a one-month run of April has no quarter yet).
    ...(month % 3 === 0 ? { quarter: `${period.slice(0, 4)}-Q${Math.ceil(month / 3)}` } : {}),
    year: `${year}-${String((year + 1) % 100).padStart(2, '0')}`,
    policy: 'nhs-tt',
    out,
    referenceDir,
  });
  const cells = result.files.filter((f) => f.endsWith('.csv')).reduce((n, f) => n + readFileSync(f, 'utf8').split('\n').length - 2, 0);
  console.log(JSON.stringify({ rows: cells, calibration: calibrationTable(result) }));
  return 0;
}
