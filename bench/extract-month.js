// Release routes at national scale, from a data directory filled and processed by bench/submit-month.js and
// bench/process-month.js. Run through bench/rusage.js, one kind per process:
//   optout      DATA PERIOD SYNTH OUT      import the synthetic opt-out register (SYNTH/optout-register.csv)
//   commissioner DATA PERIOD SYNTH OUT     the extract of the commissioner with the most pathways in PERIOD
//   research    DATA PERIOD SYNTH OUT FROM the example agreement (examples/agreement-example.json) over FROM..PERIOD
// Prints {rows} (register people, or rows written).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export async function main([kind, dataDir, period, synthDir, out, from]) {
  if (kind === 'optout') {
    const { importOptOutRegister } = await import('../dist/extracts/optOut/register.js');
    const r = await importOptOutRegister(join(synthDir, 'optout-register.csv'), { dataDir });
    console.log(JSON.stringify({ rows: r.people }));
    return 0;
  }
  if (kind === 'commissioner') {
    const { commissionerExtract, commissionersOf } = await import('../dist/extracts/commissioner.js');
    const [busiest] = await commissionersOf(dataDir, period);
    const r = await commissionerExtract({ dataDir, period, commissioner: busiest.code, out: join(out, `commissioner-${busiest.code}.parquet`) });
    console.log(JSON.stringify({ rows: r.rows, commissioner: busiest.code, peopleRemoved: r.peopleRemoved }));
    return 0;
  }
  if (kind === 'research') {
    const { researchExtract } = await import('../dist/extracts/research/extract.js');
    const agreement = JSON.parse(readFileSync(new URL('../examples/agreement-example.json', import.meta.url), 'utf8'));
    agreement.periods = { from: from ?? period, to: period };
    const agreementFile = join(out, 'agreement.json');
    writeFileSync(agreementFile, JSON.stringify(agreement, null, 2));
    const r = await researchExtract({ dataDir, agreementFile, out: join(out, 'research'), format: 'parquet' });
    console.log(JSON.stringify({ rows: r.tables.reduce((n, t) => n + t.rows, 0) }));
    return 0;
  }
  throw new Error(`bench/extract-month.js: unknown kind ${kind}`);
}
