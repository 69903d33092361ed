// Processes a period of a data directory filled by bench/submit-month.js — pseudonyms, linkage, national
// tables, continuity — and derives it (timed separately). Run through bench/rusage.js.
export async function main([dataDir, period, referenceDir]) {
  const { processPeriod } = await import('../dist/linkage/process.js');
  const { derivePeriod } = await import('../dist/derivation/index.js');
  let deriveSeconds = 0;
  const result = await processPeriod({
    dataDir,
    period,
    referenceDir,
    afterLink: async (folder) => {
      const started = process.hrtime.bigint();
      await derivePeriod(folder, period);
      deriveSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    },
  });
  const rows = Object.values(result.rows).reduce((a, b) => a + b, 0);
  console.log(JSON.stringify({ submissions: result.submissions, rows, deriveSeconds }));
  return 0;
}
