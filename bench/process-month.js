// Processes a period of a data directory filled by bench/submit-month.js: pseudonyms, linkage, national
// tables, continuity. Run through bench/rusage.js.
export async function main([dataDir, period, referenceDir]) {
  const { processPeriod } = await import('../dist/linkage/process.js');
  const result = await processPeriod({ dataDir, period, referenceDir });
  const rows = Object.values(result.rows).reduce((a, b) => a + b, 0);
  console.log(JSON.stringify({ submissions: result.submissions, rows }));
  return 0;
}
