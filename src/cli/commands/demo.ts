import type { Command } from 'commander';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IaptError } from '../../core/errors.js';
import { TABLE_NAMES } from '../../dataset/index.js';
import { derivePeriod } from '../../derivation/index.js';
import { providerExtract } from '../../extracts/provider.js';
import { commissionerExtract, commissionersOf } from '../../extracts/commissioner.js';
import { importOptOutRegister } from '../../extracts/optOut/register.js';
import { researchExtract } from '../../extracts/research/extract.js';
import { publish } from '../../measures/publish/index.js';
import { processPeriod } from '../../linkage/process.js';
import { Catalog } from '../../store/catalog.js';
import { submit } from '../../store/submit.js';
import { addMonths, monthRange } from '../../synth/calendar.js';
import { generate, OPT_OUT_REGISTER_FILE } from '../../synth/generate.js';
import { headlineTable } from '../headline.js';

import type { PublishResult } from '../../measures/publish/index.js';
import { ENGLAND_2023_24 } from '../../measures/england2023-24.js';
import type { Io } from '../io.js';
import type { Config } from '../../core/config.js';

/**
 * The demo's months: the financial year 2024-25 to September, and six months before it, so that referrals open in
 * April carry their first scores. From April alone, a referral that began before the data has none: the year to
 * September came out at recovery 39.6 % and reliable improvement 47.1 %, against 45.9 % and 63.6 % with the history.
 */
export const DEMO_MONTHS = '2023-10..2024-09';

/** England's published 2023-24 recovery rate, to set the demo's figures against. */
const ENGLAND_RECOVERY_2023_24 = ENGLAND_2023_24.find((m) => m.id === 'M192')!.percent;

/**
 * Why the demo's rates differ from England's: a rate over n finishers moves by about ±1.96·√(p(1−p)/n) at 95 %
 * (p ≈ 0.5), so with a few dozen finishers a month's rate is ±15 points or more.
 */
export function demoRatesNote(result: Pick<PublishResult, 'headline' | 'periods'>, indent: string): string {
  const finishers = result.headline.find((h) => h.id === 'M076');
  const margins = result.periods.map((p) => {
    const n = Number(finishers?.values[p]);
    return Number.isFinite(n) && n > 0 ? `${p}: ${n} finishers, ±${(196 * Math.sqrt(0.25 / n)).toFixed(0)} points` : `${p}: no finishers`;
  });
  return (
    `${indent}Synthetic data for 3 small providers: the generator aims at England's rates (recovery ${ENGLAND_RECOVERY_2023_24} % in 2023-24),\n` +
    `${indent}but a rate over few finishers moves by chance (95 %: ${margins.join('; ')}).\n`
  );
}

/** The example Data Sharing Agreement shipped in examples/, over the demo's months (from April, or the first month, to the last). */
export function demoAgreement(months: readonly string[], latest: string): string {
  const agreement = JSON.parse(readFileSync(new URL('../../../examples/agreement-example.json', import.meta.url), 'utf8')) as { periods: { from: string; to: string } };
  const from = months.find((m) => m >= agreement.periods.from) ?? months[0]!;
  return JSON.stringify({ ...agreement, periods: { from: from > latest ? latest : from, to: latest } }, null, 2) + '\n';
}

/** Written into the folder the demo makes; only a folder carrying it is emptied by a later demo. */
export const DEMO_MARKER = '.iapt-demo';

/** Makes `out` a fresh demo folder: a new or empty folder, or an earlier demo's output (replaced). Anything else is refused. */
export function prepareDemoFolder(out: string): void {
  if (existsSync(out)) {
    if (!statSync(out).isDirectory()) throw new IaptError('usage', `--out: ${out} is a file, not a folder: give the demo a new or empty folder`);
    const entries = readdirSync(out);
    if (entries.length > 0 && !entries.includes(DEMO_MARKER)) {
      throw new IaptError('usage', `--out: ${out} is not empty and is not an earlier demo output (no ${DEMO_MARKER} file): give the demo a new or empty folder`);
    }
    if (entries.length > 0) rmSync(out, { recursive: true, force: true });
  }
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, DEMO_MARKER), 'Made by iapt demo: a later iapt demo --out here replaces this folder.\n');
}

/** `iapt demo`: the main job on embedded defaults — synth → submit → process → publish. Each stage adds its step here as it lands. */
export function registerDemo(program: Command, io: Io, config: Config): void {
  program
    .command('demo')
    .description('run the pipeline end to end on a small synthetic data set')
    .option('--out <dir>', 'working folder', 'demo-output')
    .option('--months <range>', 'reporting periods, YYYY-MM..YYYY-MM (fewer months run faster; the last is processed and published)', DEMO_MONTHS)
    .option('--serve', 'then serve the data hub, the portal and the API on http://127.0.0.1:PORT with demo users (npm start does this); Ctrl-C stops it')
    .option('--port <n>', 'the port for --serve', '8080')
    .action(async (opts: { out: string; months: string; serve?: boolean; port: string }) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new IaptError('usage', `--port: "${opts.port}" is not a port number`);
      let months: string[];
      try {
        months = monthRange(opts.months).map((m) => m.id);
      } catch (error) {
        throw new IaptError('usage', `--months: ${(error as Error).message}`);
      }
      prepareDemoFolder(opts.out);
      const submissions = join(opts.out, 'submissions');
      const data = join(opts.out, 'iapt-data');
      io.out(`IAPT platform demo\n\n1. Synthetic submissions (iapt synth --providers 3 --months ${opts.months} --refresh --defects 0.005)\n`);
      const result = generate({ providers: 3, months: opts.months, seed: 'demo', out: submissions, scale: 'small', refresh: true, defects: 0.005 });
      const totals = new Map<string, number>(TABLE_NAMES.map((t) => [t, 0]));
      for (const f of result.files) for (const t of TABLE_NAMES) totals.set(t, totals.get(t)! + f.rows[t]);
      const providers = [...new Set(result.files.map((f) => f.provider))];
      io.out(`   ${result.files.length} zip files for providers ${providers.join(', ')} (Primary and Refresh, ${opts.months === DEMO_MONTHS ? 'October 2023 – September 2024: six months of history before the financial year' : `${months[0]} to ${months.at(-1)}`})\n`);
      io.out(`   ${result.totalRows.toLocaleString('en-GB')} rows in all, with ${result.defects.length} seeded defects (defects.json):\n`);
      for (const [t, n] of totals) io.out(`     ${t.padEnd(32)} ${n.toLocaleString('en-GB').padStart(8)}\n`);

      io.out(`\n2. Validation and submission to the store (iapt submit --data ${data}): each month's Primary, then its Refresh\n`);
      const ordered = [...result.files].sort((a, b) => a.period.localeCompare(b.period) || (a.fileType === 'primary' ? -1 : 1) || a.provider.localeCompare(b.provider));
      for (const f of ordered) {
        // Received in the Primary window (the month after the period) or the Refresh window (the month after that).
        const received = `${addMonths(f.period, f.fileType === 'primary' ? 1 : 2)}-20T12:00:00`;
        const r = await submit(join(submissions, f.path), { dataDir: data, received, referenceDir: join(submissions, 'reference'), actor: 'demo' });
        if (r.status !== 'stored') throw new Error(`demo: ${f.path} was not stored (${r.status})`);
        const rejected = r.report.tables.reduce((n, t) => n + t.rejected, 0);
        const warnings = r.report.findings.filter((x) => x.severity === 'warning').reduce((n, x) => n + x.count, 0);
        io.out(`   ${f.path.padEnd(40)} ${r.outcome.toUpperCase().padEnd(9)} ${String(rejected).padStart(4)} rows rejected, ${String(warnings).padStart(3)} warnings\n`);
      }
      const catalog = await Catalog.open(data, { readOnly: true });
      const rows = await catalog.submissions();
      catalog.close();
      const counting = rows.filter((x) => x.counts);
      io.out(`   ${rows.length} submissions registered; the Refresh counts for each of the ${counting.length} provider-months. Reports: ${data}/submissions/<id>/report/\n`);

      const latest = rows.map((r) => r.period).sort().pop()!;
      io.out(`\n3. Linkage across months under pseudonyms, and derivations (iapt process --period ${latest})\n`);
      const processed = await processPeriod({ dataDir: data, period: latest, pseudoKey: config.pseudoKey, referenceDir: join(submissions, 'reference'), afterLink: (folder) => derivePeriod(folder, latest, join(submissions, 'reference')) });
      io.out(`   ${processed.rows.IDS101Referral!.toLocaleString('en-GB')} pathways (PathwayID), ${processed.rows.IDS001MPI!.toLocaleString('en-GB')} people (Person_ID), ${processed.rows.IDS201CareContact!.toLocaleString('en-GB')} contacts linked → ${processed.folder}\n`);
      for (const p of processed.continuity.providers) io.out(`   continuity ${p.provider}: ${p.missingThisPeriod} of ${p.openPreviousPeriod} referrals open in ${processed.continuity.previousPeriod} missing in ${latest}\n`);
      const extract = join(opts.out, `provider-extract-${providers[0]}-${latest}.csv`);
      const written = await providerExtract({ dataDir: data, period: latest, pseudoKey: config.pseudoKey, provider: providers[0]!, out: extract });
      io.out(`\n4. Release routes (docs/extracts.md), each file with a manifest beside it saying who it is for\n`);
      io.out(`   Provider extract (iapt extract provider --provider ${providers[0]} --period ${latest}): ${written.rows} pathways → ${extract}\n`);
      const register = await importOptOutRegister(join(submissions, OPT_OUT_REGISTER_FILE), { dataDir: data, pseudoKey: config.pseudoKey });
      io.out(`   National data opt-out register (iapt optout import): ${register.people} people, kept as Person_ID pseudonyms only\n`);
      const [busiest] = await commissionersOf(data, latest);
      const commissionerFile = join(opts.out, `commissioner-extract-${busiest!.code}-${latest}.csv`);
      const commissioner = await commissionerExtract({ dataDir: data, period: latest, commissioner: busiest!.code, out: commissionerFile, pseudoKey: config.pseudoKey, optOutExemption: config.commissionerOptOutExemption });
      io.out(
        `   Commissioner extract (iapt extract commissioner --commissioner ${busiest!.code} --period ${latest}): ${commissioner.rows} pathways from ${commissioner.providers.length === 1 ? 'provider' : `${commissioner.providers.length} providers`} ${commissioner.providers.join(', ')}, ` +
          `no identifiable items, ${commissioner.optOutApplied ? `${commissioner.peopleRemoved} opted-out people left out` : 'opt-out exempt'}, passed check-extract → ${commissionerFile}\n`,
      );

      const agreementFile = join(opts.out, 'agreement-example.json');
      writeFileSync(agreementFile, demoAgreement(months, latest));
      const research = await researchExtract({ dataDir: data, agreementFile, out: join(opts.out, 'research-extract'), pseudoKey: config.pseudoKey });
      io.out(
        `   Research extract (iapt extract research --agreement ${agreementFile}: examples/agreement-example.json over ${research.agreement.periods.from}..${research.agreement.periods.to}): ` +
          `${research.pathways} referrals of ${research.people} people in ${research.tables.map((t) => `${t.table} (${t.rows})`).join(', ')}, ` +
          `keyed for ${research.agreement.id} only, ${research.optOut.applied ? `${research.optOut.peopleRemoved} opted-out people left out` : 'opt-out exempt'}, passed check-extract → ${research.out}\n`,
      );

      const published = join(opts.out, 'publication');
      const year = `${Number(latest.slice(0, 4)) - (Number(latest.slice(5)) < 4 ? 1 : 0)}`;
      const fy = `${year}-${String((Number(year) + 1) % 100).padStart(2, '0')}`;
      const quarter = `${latest.slice(0, 4)}-Q${Math.ceil(Number(latest.slice(5)) / 3)}`;
      io.out(`\n5. Official statistics with disclosure control (iapt publish --period ${latest} --quarter ${quarter} --year ${fy}), checked by iapt check-release before writing\n`);
      const publication = await publish({ dataDir: data, period: latest, quarter, year: fy, policy: 'nhs-tt', out: published, referenceDir: join(submissions, 'reference') });
      io.out(headlineTable(publication, '   '));
      io.out(demoRatesNote(publication, '   '));
      io.out(`   Files:\n${publication.files.map((f) => `     ${f}\n`).join('')}`);
      if (opts.serve) {
        const hub = join(opts.out, 'hub');
        io.out(`\n6. The data hub (iapt hub build --publication ${published} --out ${hub}): NHS England's published history 2017-18 to 2024-25 with this publication\n`);
        const [{ buildHub }, { serveDemo }] = await Promise.all([import('../../web/hub/build.js'), import('./demoServe.js')]);
        const built = await buildHub({ publications: [published], out: hub });
        io.out(`   ${built.pages} pages for ${built.organisations} organisations, ${(built.bytes / 1024 / 1024).toFixed(1)} MiB, the largest page ${(built.largestPageBytes / 1024).toFixed(0)} KiB → ${hub}\n`);
        await serveDemo({ dataDir: data, referenceDir: join(submissions, 'reference'), publication: published, period: latest, hub, provider: providers[0]!, commissioner: busiest!.code, port }, io, config);
      } else {
        io.out(`\nServe it: iapt demo --serve (npm start), or iapt serve --data ${data} after adding users (iapt users add).\n`);
      }
    });
}
