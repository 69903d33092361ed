// Processes a period of a data directory filled by bench/submit-month.js — pseudonyms, linkage, national
// tables, continuity — and derives it (timed separately). Run through bench/rusage.js.
export async function main([dataDir, period, referenceDir, firstMonth]) {
  const { processPeriod } = await import('../dist/linkage/process.js');
  const { derivePeriod } = await import('../dist/derivation/index.js');
  let deriveSeconds = 0;
  const result = await processPeriod({
    dataDir,
    period,
    referenceDir,
    afterLink: async (folder) => {
      const started = process.hrtime.bigint();
      await derivePeriod(folder, period, referenceDir);
      deriveSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    },
  });
  const rows = Object.values(result.rows).reduce((a, b) => a + b, 0);
  // Outcome rates of the derived flags, for pathways received in the generated months (fully observed).
  const { openDb } = await import('../dist/core/db.js');
  const db = await openDb();
  let rates;
  try {
    const [r] = await db.all(
      `SELECT count(*) AS finishers, count(*) FILTER (WHERE NotCaseness_Flag) AS not_caseness, count(*) FILTER (WHERE Recovery_Flag) AS recovered, ` +
        `count(*) FILTER (WHERE ReliableImprovement_Flag) AS improved, count(*) FILTER (WHERE ReliableDeterioration_Flag) AS deteriorated, count(*) FILTER (WHERE NoChange_Flag) AS no_change, ` +
        // Paired finishers (M202's condition): improvement + no change + deterioration must add up to them.
        `count(*) FILTER (WHERE PHQ9_LastScore IS NOT NULL AND ADSM_LastScore IS NOT NULL) AS paired, ` +
        `FROM read_parquet('${result.folder}/IDS101Referral.parquet') WHERE CompletedTreatment_Flag AND d(ReferralRequestReceivedDate) >= DATE '${firstMonth ?? period}-01'`,
    );
    const n = (k) => Number(r[k]);
    rates = {
      finishers: n('finishers'),
      recoveryPercent: (100 * n('recovered')) / (n('finishers') - n('not_caseness')),
      reliableImprovementPercent: (100 * n('improved')) / n('finishers'),
      reliableDeteriorationPercent: (100 * n('deteriorated')) / n('finishers'),
      noChangePercent: (100 * n('no_change')) / n('finishers'),
      pairedFinishers: n('paired'),
      outcomesAddUpToPaired: n('improved') + n('no_change') + n('deteriorated') === n('paired'),
    };
  } finally {
    db.close();
  }
  console.log(JSON.stringify({ submissions: result.submissions, rows, deriveSeconds, rates }));
  return 0;
}
