// The provider extracts: post-deadline (final, from processed/P) and pre-deadline (one stored submission linked and
// derived as if it were final, in a private temporary folder), each with its manifest.
//
// The data: two synthetic providers, July–September 2024, Primary files, processed for September with the
// derivations (as the CLI does). Then, not processed: provider A's September Refresh with one referral (and every
// record of it) removed, and a rejected file. The expected figures are counted from the zips themselves, not from
// the extract code: A's September IDS101Referral rows are the pathways used for September (one row per referral
// of the counting submission), so the final extract has that many rows and the Refresh's has one fewer.
// Golden manifests (test/golden/extracts/): written only with UPDATE_GOLDEN=1 and never under CI=true.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { derivePeriod } from '../../src/derivation/index.js';
import { manifestPathOf, readManifest, sha256OfFile, type ReleaseManifest } from '../../src/core/release/manifest.js';
import { notAppliedByPolicy } from '../../src/core/release/optOutPolicy.js';
import { preDeadlineExtract, type PreDeadlineResult } from '../../src/extracts/preDeadline.js';
import { providerExtract, releaseWithManifest, type ProviderExtractResult } from '../../src/extracts/provider.js';
import { STAGING_PREFIX } from '../../src/extracts/staging.js';
import { parseCsv } from '../../src/intake/csvText.js';
import { processPeriod } from '../../src/linkage/process.js';
import { PROVISIONAL_PREFIX } from '../../src/linkage/provisional.js';
import { Catalog } from '../../src/store/catalog.js';
import { TEMPORARY_MARKER } from '../../src/store/owned.js';
import { submit } from '../../src/store/submit.js';
import { run } from '../helpers/cli.js';
import { expectGolden } from '../helpers/golden.js';
import { readSubmission } from '../helpers/submission.js';
import { receivedFor, synthMonths } from '../store/helpers.js';

const root = mkdtempSync(join(tmpdir(), 'iapt-provider-extract-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const synth = join(root, 'synth');
const reference = join(synth, 'reference');
const months = synthMonths(synth, '2024-07..2024-09', 2);
const data = join(root, 'data');
const outs = join(root, 'out');
const KEY = 'a1'.repeat(32);
const P = '2024-09';

const septA = months.files.filter((f) => f.period === P).sort((a, b) => a.provider.localeCompare(b.provider))[0]!;
const A = septA.provider;
const out = (name: string) => join(outs, name);

/** Every file of a folder (recursively) with its sha256. */
function snapshot(folder: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.isSymbolicLink()) files[relative(folder, join(dir, e.name))] = `-> ${readlinkSync(join(dir, e.name))}`;
      else files[relative(folder, join(dir, e.name))] = createHash('sha256').update(readFileSync(join(dir, e.name))).digest('hex');
    }
  };
  walk(folder);
  return files;
}

const csvRows = (file: string) => parseCsv(readFileSync(file, 'utf8'));

/** The manifest with what changes from run to run (time, file bytes and hash) masked. */
const masked = (m: ReleaseManifest) => JSON.stringify({ ...m, createdAt: '<createdAt>', files: m.files.map((f) => ({ ...f, bytes: '<bytes>', sha256: '<sha256>' })) }, null, 2) + '\n';

// What the zips say (independently of the platform).
const septReferrals = readSubmission(join(synth, septA.path)).get('IDS101Referral')!;
const SRI = septReferrals.header.indexOf('ServiceRequestId');
const dropped = septReferrals.rows[0]![SRI]!;

let primaryId: number;
let refreshId: number;
let rejectedId: number;
let final: ProviderExtractResult;
let pre: PreDeadlineResult;
let preRefresh: PreDeadlineResult;
let processedBefore: { link: string; files: Record<string, string>; entries: string[] };
let processedAfter: typeof processedBefore;

const processedState = () => ({
  link: readlinkSync(join(data, 'processed', P)),
  files: snapshot(join(data, 'processed')),
  entries: readdirSync(join(data, 'processed')).sort(),
});

async function submissions() {
  const catalog = await Catalog.open(data, { readOnly: true });
  try {
    return await catalog.submissions();
  } finally {
    catalog.close();
  }
}

/** A's file for the period, rewritten: `edit` gets each table's lines (CRLF-split) and returns them. */
function rewritten(name: string, period: string, edit: (table: string, lines: string[]) => string[]): string {
  const entries = unzipSync(readFileSync(join(synth, septA.path.replace(/2024-09/g, period))));
  for (const [file, bytes] of Object.entries(entries)) entries[file] = strToU8(edit(file.replace(/\.csv$/, ''), new TextDecoder().decode(bytes).split('\r\n')).join('\r\n'));
  const path = join(root, name);
  writeFileSync(path, zipSync(entries));
  return path;
}

const savedKey = process.env.IAPT_PSEUDO_KEY;
beforeAll(async () => {
  process.env.IAPT_PSEUDO_KEY = KEY; // the CLI reads the key from the environment
  mkdirSync(outs);
  for (const f of months.files) expect((await submit(join(synth, f.path), { dataDir: data, received: receivedFor(f.period, 'primary'), referenceDir: reference })).status).toBe('stored');
  await processPeriod({ dataDir: data, period: P, referenceDir: reference, pseudoKey: KEY, afterLink: (folder) => derivePeriod(folder, P, reference) });
  processedBefore = processedState();
  primaryId = (await submissions()).find((s) => s.provider === A && s.period === P && s.counts)!.id;
  final = await providerExtract({ dataDir: data, period: P, provider: A, out: out('final.csv'), pseudoKey: KEY });
  pre = await preDeadlineExtract({ dataDir: data, submissionId: primaryId, out: out('pre.csv'), referenceDir: reference, pseudoKey: KEY });

  // A's September Refresh without its first referral: every line holding that ServiceRequestId goes.
  const refresh = rewritten('refresh.zip', P, (_t, lines) => lines.filter((l) => !l.split(',').includes(dropped)));
  const r = await submit(refresh, { dataDir: data, received: receivedFor(P, 'refresh'), referenceDir: reference });
  expect(r).toMatchObject({ status: 'stored', outcome: 'accepted', placement: { fileType: 'Refresh' } });
  refreshId = (r as { id: number }).id;
  preRefresh = await preDeadlineExtract({ dataDir: data, submissionId: refreshId, out: out('pre-refresh.csv'), referenceDir: reference, pseudoKey: KEY });

  // A rejected file: an NHS number with a wrong check digit (a file-level rejection).
  const bad = rewritten('rejected.zip', '2024-08', (t, lines) => {
    if (t !== 'IDS001MPI') return lines;
    const i = lines.findIndex((l, n) => n > 0 && /,(9\d{9}),/.test(l));
    lines[i] = lines[i]!.replace(/,(9\d{9}),/, (_m, n: string) => `,${n.slice(0, 9)}${(Number(n[9]) + 1) % 10},`);
    return lines;
  });
  const rejected = await submit(bad, { dataDir: data, received: receivedFor('2024-08', 'refresh') });
  expect(rejected).toMatchObject({ status: 'stored', outcome: 'rejected' });
  rejectedId = (rejected as { id: number }).id;
  processedAfter = processedState();
}, 120_000);
afterAll(() => {
  if (savedKey === undefined) delete process.env.IAPT_PSEUDO_KEY;
  else process.env.IAPT_PSEUDO_KEY = savedKey;
});

describe('the pre-deadline extract', () => {
  it("of the submission that counted when the period was processed is the final extract, byte for byte", () => {
    // A's September file has this many referrals, each a pathway used for September.
    expect(septReferrals.rows.length).toBeGreaterThan(10);
    expect(final.rows).toBe(septReferrals.rows.length);
    expect(pre.rows).toBe(septReferrals.rows.length);
    expect(readFileSync(out('pre.csv'))).toEqual(readFileSync(out('final.csv')));
    // The history that counts for A: July and August, then the given September file.
    expect(pre.submissions.map((s) => [s.provider, s.period, s.fileType])).toEqual([
      [A, '2024-07', 'Primary'],
      [A, '2024-08', 'Primary'],
      [A, P, 'Primary'],
    ]);
    expect(pre.submissions.at(-1)!.id).toBe(primaryId);
  });

  it('of a later Refresh with one referral removed has exactly the other referrals, and leaves processed/P untouched', () => {
    // One referral fewer than the Primary: every ServiceRequestId of the zip but the dropped one.
    expect(preRefresh.rows).toBe(septReferrals.rows.length - 1);
    const [header, ...rows] = csvRows(out('pre-refresh.csv'));
    const [finalHeader, ...finalRows] = csvRows(out('final.csv'));
    expect(header).toEqual(finalHeader);
    expect(rows.map((r) => r[0]).sort()).toEqual(septReferrals.rows.map((r) => r[SRI]!).filter((s) => s !== dropped).sort());
    // The other referrals come out as in the final extract (the dropped one took nothing of theirs with it), apart
    // from the items the store gives a record from its submission and its place in it (src/store/identifiers.ts).
    const kept = finalRows.filter((r) => r[0] !== dropped);
    const differing = new Set(rows.flatMap((r, i) => r.flatMap((v, c) => (v === kept[i]![c] ? [] : [header![c]!]))));
    expect([...differing].sort()).toEqual(['File_Type', 'RecordNumber', 'UniqueID_IDS101', 'UniqueSubmissionID']);
    expect(preRefresh.submissions.at(-1)).toEqual({ id: refreshId, provider: A, period: P, fileType: 'Refresh' });
    // Neither pre-deadline run processed anything: the published set is the version it was after iapt process, file
    // for file, and nothing was added beside it.
    expect(processedAfter).toEqual(processedBefore);
  });

  it('the final extract keeps to the processed set: the submission it was processed from, not the Refresh that counts now', async () => {
    expect((await submissions()).find((s) => s.id === refreshId)!.counts).toBe(true);
    const again = await providerExtract({ dataDir: data, period: P, provider: A, out: out('final-again.csv'), pseudoKey: KEY });
    expect(again.rows).toBe(septReferrals.rows.length);
    expect(readFileSync(out('final-again.csv'))).toEqual(readFileSync(out('final.csv')));
  });

  it('refuses an unknown submission and a rejected one, clearly (exit 3), and bad arguments (exit 2)', async () => {
    const unknown = await run('extract', 'provider', '--data', data, '--submission', '999', '--out', out('x.csv'));
    expect(unknown.code).toBe(3);
    expect(unknown.err).toMatch(/there is no submission 999 in .*iapt submissions/);
    const rejected = await run('extract', 'provider', '--data', data, '--submission', String(rejectedId), '--out', out('x.csv'));
    expect(rejected.code).toBe(3);
    expect(rejected.err).toContain(`submission ${rejectedId} (${A}, 2024-08, Refresh) was rejected`);
    expect(existsSync(out('x.csv'))).toBe(false);
    for (const args of [
      ['--submission', String(refreshId), '--period', P],
      ['--period', P],
      ['--submission', 'x1'],
      [],
      ['--period', P, '--provider', A, '--reference', reference],
    ]) {
      const r = await run('extract', 'provider', '--data', data, ...args, '--out', out('x.csv'));
      expect(r.code, args.join(' ')).toBe(2);
    }
  });

  it('through the CLI, as Parquet: the same rows as the CSV, with a manifest', async () => {
    const r = await run('extract', 'provider', '--data', data, '--submission', String(refreshId), '--reference', reference, '--out', out('pre-refresh.parquet'));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Wrote ${septReferrals.rows.length - 1} pathways of ${A} for ${P} as they would be if submission ${refreshId} were final`);
    expect(readManifest(manifestPathOf(out('pre-refresh.parquet'))).files[0]).toMatchObject({ name: 'pre-refresh.parquet', rows: septReferrals.rows.length - 1 });
    // Without --force an existing file is kept.
    const again = await run('extract', 'provider', '--data', data, '--submission', String(refreshId), '--out', out('pre-refresh.parquet'));
    expect(again.code).toBe(2);
  });
});

describe('the manifests', () => {
  it('describe each file (rows, bytes, sha256), owner-only, written beside it', () => {
    for (const [result, file] of [
      [final, 'final.csv'],
      [pre, 'pre.csv'],
      [preRefresh, 'pre-refresh.csv'],
    ] as const) {
      const path = manifestPathOf(out(file));
      expect(result.manifest).toBe(path);
      const m = readManifest(path);
      expect(m.files).toEqual([{ name: file, rows: result.rows, bytes: statSync(out(file)).size, sha256: sha256OfFile(out(file)) }]);
      expect(statSync(out(file)).mode & 0o777).toBe(0o600);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(m.optOut).toEqual(notAppliedByPolicy('provider'));
    }
  });

  it('of the final extract: provider-final, the processed set and its version (golden file)', () => {
    const m = readManifest(final.manifest);
    expect(m.source.processingRun).toEqual({ period: P, version: readlinkSync(join(data, 'processed', P)) });
    expect(m.source.submissions.every((s) => s.provider === A)).toBe(true);
    expectGolden('extracts/provider-final-manifest.json', masked(m));
  });

  it('of the pre-deadline extract: provider-pre-deadline, the submissions linked, no processing run (golden file)', () => {
    const m = readManifest(preRefresh.manifest);
    expect(m.scope).toEqual({ provider: A, period: P, submission: String(refreshId) });
    expect(m.source.processingRun).toBeNull();
    expectGolden('extracts/provider-pre-deadline-manifest.json', masked(m));
  });
});

describe('what is left behind', () => {
  it('after the runs: no temporary folder in the data directory, no staging folder beside the extracts', () => {
    expect(readdirSync(data).sort()).toEqual(['catalog.duckdb', 'processed', 'submissions']);
    expect(readdirSync(join(data, 'processed')).filter((e) => e.startsWith(PROVISIONAL_PREFIX) || e.endsWith(TEMPORARY_MARKER))).toEqual([]);
    expect(readdirSync(outs).filter((e) => e.startsWith(STAGING_PREFIX))).toEqual([]);
  });

  it('a failure removes the temporary folder and keeps an earlier file', async () => {
    const path = out('kept.csv');
    writeFileSync(path, 'earlier\n');
    await expect(preDeadlineExtract({ dataDir: data, submissionId: refreshId, out: path, referenceDir: join(root, 'no-such-reference'), pseudoKey: KEY })).rejects.toThrow();
    expect(readFileSync(path, 'utf8')).toBe('earlier\n');
    expect(readdirSync(join(data, 'processed')).sort()).toEqual(processedBefore.entries);
    // A failure while the file is being written: neither the half file nor its staging folder stays.
    await expect(
      releaseWithManifest(
        path,
        (staged) => {
          writeFileSync(staged, 'half');
          throw new Error('disk full');
        },
        { kind: 'provider-final', audience: 'provider', sensitivity: 'identifiable', scope: {}, source: { periods: [], submissions: [], processingRun: null }, optOut: notAppliedByPolicy('provider'), agreement: null, personKey: null },
      ),
    ).rejects.toThrow('disk full');
    expect(readFileSync(path, 'utf8')).toBe('earlier\n');
    expect(existsSync(manifestPathOf(path))).toBe(false);
    expect(readdirSync(outs).filter((e) => e.startsWith(STAGING_PREFIX))).toEqual([]);
  });

  it("a killed release's staging folder (marked, dead pid) is removed by the next release into that folder; an unmarked one is not", async () => {
    const dead = `${STAGING_PREFIX}killed`;
    mkdirSync(join(outs, dead));
    writeFileSync(join(outs, dead, 'half.csv'), 'half');
    writeFileSync(join(outs, `${dead}${TEMPORARY_MARKER}`), JSON.stringify({ pid: 2 ** 22 + 17, host: hostname(), started: '2024-01-01T00:00:00.000Z' }));
    const unmarked = `${STAGING_PREFIX}not-ours`;
    mkdirSync(join(outs, unmarked));
    await providerExtract({ dataDir: data, period: P, provider: A, out: out('after-a-kill.csv'), pseudoKey: KEY });
    expect(existsSync(join(outs, dead))).toBe(false);
    expect(existsSync(join(outs, `${dead}${TEMPORARY_MARKER}`))).toBe(false);
    expect(existsSync(join(outs, unmarked))).toBe(true);
    rmSync(join(outs, unmarked), { recursive: true });
  });

  it("a killed run's folder is removed by the next run, and nothing unmarked or alive is touched", async () => {
    const processed = join(data, 'processed');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const leftover = (name: string, pid: number | null) => {
      mkdirSync(join(processed, name));
      writeFileSync(join(processed, name, 'IDS101Referral.parquet'), 'x');
      if (pid !== null) writeFileSync(join(processed, `${name}${TEMPORARY_MARKER}`), JSON.stringify({ pid, host: hostname(), started: '2024-01-01T00:00:00.000Z' }));
    };
    leftover(`${PROVISIONAL_PREFIX}${dead}-1`, dead); // a killed run
    leftover(`${PROVISIONAL_PREFIX}${process.pid}-999`, process.pid); // a live run (this process)
    leftover(`${PROVISIONAL_PREFIX}unmarked`, null); // not marked: not ours to remove
    await preDeadlineExtract({ dataDir: data, submissionId: refreshId, out: out('after-kill.csv'), referenceDir: reference, pseudoKey: KEY });
    const left = readdirSync(processed).filter((e) => e.startsWith(PROVISIONAL_PREFIX)).sort();
    expect(left).toEqual([`${PROVISIONAL_PREFIX}${process.pid}-999`, `${PROVISIONAL_PREFIX}${process.pid}-999${TEMPORARY_MARKER}`, `${PROVISIONAL_PREFIX}unmarked`].sort());
    expect(readFileSync(out('after-kill.csv'))).toEqual(readFileSync(out('pre-refresh.csv')));
    for (const e of left) rmSync(join(processed, e), { recursive: true, force: true });
  });
});
