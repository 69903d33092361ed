// A data directory of two synthetic providers over two months, where the last month's referrals carry commissioner
// codes set by hand: provider A's first three IDS101 rows and provider B's first two carry C1X, B's third carries
// C2Y (codes no synthetic referral uses). So, by construction, commissioner C1X has 5 pathways in 2024-09 (3 + 2)
// and C2Y has 1. The opt-out register holds the NHS number of the patient of A's first C1X referral.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { derivePeriod } from '../../src/derivation/index.js';
import { processPeriod } from '../../src/linkage/process.js';
import { submit } from '../../src/store/submit.js';
import { receivedFor, synthMonths } from '../store/helpers.js';
import { readSubmission } from '../helpers/submission.js';

export const KEY = 'b2'.repeat(32);
export const PERIOD = '2024-09';
export const C1X = 'C1X';
export const C2Y = 'C2Y';

export interface Patient {
  provider: string;
  localPatientId: string;
  nhsNumber: string;
  birthDate: string;
  postcode: string;
}

export interface ExtractFixture {
  data: string;
  reference: string;
  providers: [string, string];
  /** Per commissioner code set by hand: the (provider, ServiceRequestId, LocalPatientId) of its referrals. */
  referrals: Record<string, { provider: string; serviceRequestId: string; localPatientId: string }[]>;
  /** The patient whose NHS number the opt-out register holds. */
  optedOut: Patient;
  registerFile: string;
  /** Every patient of every submitted file (for independent scans). */
  patients: Patient[];
}

/** Rewrites OrgIDComm of the given IDS101 rows (0-based) of a zip. */
function setCommissioners(zip: string, codes: readonly (string | null)[]): void {
  const entries = unzipSync(readFileSync(zip));
  const lines = new TextDecoder().decode(entries['IDS101Referral.csv']!).split('\r\n');
  const header = lines[0]!.split(',');
  const at = header.indexOf('OrgIDComm');
  codes.forEach((code, i) => {
    if (code === null) return;
    const cells = lines[i + 1]!.split(',');
    cells[at] = code;
    lines[i + 1] = cells.join(',');
  });
  entries['IDS101Referral.csv'] = strToU8(lines.join('\r\n'));
  writeFileSync(zip, zipSync(entries));
}

export async function buildExtractFixture(root: string): Promise<ExtractFixture> {
  const synth = join(root, 'synth');
  const reference = join(synth, 'reference');
  const months = synthMonths(synth, '2024-08..2024-09', 2);
  const last = months.files.filter((f) => f.period === PERIOD).sort((a, b) => a.provider.localeCompare(b.provider));
  const [a, b] = last as [(typeof last)[0], (typeof last)[0]];
  setCommissioners(join(synth, a.path), [C1X, C1X, C1X]);
  setCommissioners(join(synth, b.path), [C1X, C1X, C2Y]);

  const data = join(root, 'data');
  for (const f of months.files) {
    const r = await submit(join(synth, f.path), { dataDir: data, received: receivedFor(f.period, 'primary'), referenceDir: reference });
    if (r.status !== 'stored') throw new Error(`fixture: ${f.path} was not stored`);
  }
  await processPeriod({ dataDir: data, period: PERIOD, referenceDir: reference, pseudoKey: KEY, afterLink: (folder) => derivePeriod(folder, PERIOD, reference) });

  const patients: Patient[] = [];
  for (const f of months.files) {
    const mpi = readSubmission(join(synth, f.path)).get('IDS001MPI')!;
    const col = (name: string) => mpi.header.indexOf(name);
    for (const r of mpi.rows) {
      patients.push({ provider: f.provider, localPatientId: r[col('LocalPatientId')]!, nhsNumber: r[col('NHSNumber')]!, birthDate: r[col('PersonBirthDate')]!, postcode: r[col('Postcode')]! });
    }
  }
  const referrals: ExtractFixture['referrals'] = { [C1X]: [], [C2Y]: [] };
  for (const f of [a, b]) {
    const ids101 = readSubmission(join(synth, f.path)).get('IDS101Referral')!;
    const col = (name: string) => ids101.header.indexOf(name);
    for (const r of ids101.rows) {
      const code = r[col('OrgIDComm')]!;
      if (code in referrals) referrals[code]!.push({ provider: f.provider, serviceRequestId: r[col('ServiceRequestId')]!, localPatientId: r[col('LocalPatientId')]! });
    }
  }
  const first = referrals[C1X]![0]!;
  const optedOut = patients.find((p) => p.provider === first.provider && p.localPatientId === first.localPatientId && p.nhsNumber !== '')!;
  if (!optedOut) throw new Error('fixture: the first C1X patient has no NHS number; choose another row');
  const registerFile = join(root, 'optout.csv');
  writeFileSync(registerFile, `NHSNumber\n${optedOut.nhsNumber}\n`);
  return { data, reference, providers: [a.provider, b.provider], referrals, optedOut, registerFile, patients };
}
