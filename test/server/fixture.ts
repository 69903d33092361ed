// A served data directory: two synthetic providers over two months, submitted and processed for 2024-09, an
// opt-out register, a commissioner approval, and one user of every role (provider and commissioner for both
// organisations). The server runs embedded (jobs in this process) and is called with app.inject.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { readConfig } from '../../src/core/config.js';
import { derivePeriod } from '../../src/derivation/index.js';
import { commissionersOf } from '../../src/extracts/commissioner.js';
import { importOptOutRegister } from '../../src/extracts/optOut/register.js';
import { processPeriod } from '../../src/linkage/process.js';
import { buildServer } from '../../src/server/app.js';
import { jobHandlers } from '../../src/server/jobHandlers.js';
import { InProcessQueue } from '../../src/server/jobs.js';
import { addUser, type Role } from '../../src/store/access.js';
import { recordApproval } from '../../src/store/approvals.js';
import { Catalog } from '../../src/store/catalog.js';
import { submit } from '../../src/store/submit.js';
import { receivedFor, synthMonths } from '../store/helpers.js';

export const KEY = 'c3'.repeat(32);
export const PERIOD = '2024-09';

export interface Served {
  app: FastifyInstance;
  jobs: InProcessQueue;
  data: string;
  synth: string;
  providers: [string, string];
  commissioners: [string, string];
  /** Tokens by user: provider-A, provider-B, commissioner-A (approved), commissioner-B (not), analyst, analyst-2, analyst-3, researcher, researcher-2, auditor, admin. */
  tokens: Record<string, string>;
  /** The September zip of each provider (for uploads). */
  zips: Record<string, string>;
}

export interface ServeOptions {
  /** Run processing and publication jobs as no-ops (a test of who may start them, not of what they do). */
  stubNationalJobs?: boolean;
}

export async function serve(root: string, options: ServeOptions = {}): Promise<Served> {
  const synth = join(root, 'synth');
  const reference = join(synth, 'reference');
  const months = synthMonths(synth, '2024-08..2024-09', 2);
  const data = join(root, 'data');
  // August only: September is uploaded through the API by the tests that need it. Processing needs a counting
  // September, so September is submitted here for the first provider and processed.
  for (const f of months.files.filter((x) => x.period === '2024-08' || x.provider === months.files[0]!.provider)) {
    const r = await submit(join(synth, f.path), { dataDir: data, received: receivedFor(f.period, 'primary'), referenceDir: reference });
    if (r.status !== 'stored') throw new Error(`fixture: ${f.path} not stored`);
  }
  await processPeriod({ dataDir: data, period: PERIOD, referenceDir: reference, pseudoKey: KEY, afterLink: (folder) => derivePeriod(folder, PERIOD, reference) });
  const providers = [...new Set(months.files.map((f) => f.provider))].sort() as [string, string];
  const zips = Object.fromEntries(months.files.filter((f) => f.period === PERIOD).map((f) => [f.provider, join(synth, f.path)]));
  await importOptOutRegister(join(synth, 'optout-register.csv'), { dataDir: data, pseudoKey: KEY });
  const codes = (await commissionersOf(data, PERIOD)).map((c) => c.code);
  const commissioners = [codes[0]!, codes.find((c) => c !== codes[0]) ?? 'ZZ9'] as [string, string];

  const tokens: Record<string, string> = {};
  const catalog = await Catalog.open(data, { waitMs: 10_000 });
  try {
    const users: [string, Role, string | null][] = [
      ['provider-A', 'provider', providers[0]],
      ['provider-B', 'provider', providers[1]],
      ['commissioner-A', 'commissioner', commissioners[0]],
      ['commissioner-B', 'commissioner', commissioners[1]],
      ['analyst', 'analyst', null],
      ['analyst-2', 'analyst', null],
      ['analyst-3', 'analyst', null],
      ['researcher', 'researcher', null],
      ['researcher-2', 'researcher', null],
      ['auditor', 'auditor', null],
      ['admin', 'admin', null],
    ];
    for (const [name, role, org] of users) tokens[name] = (await addUser(catalog, { name, role, org })).token;
    await recordApproval(catalog, { commissioner: commissioners[0], reference: 'DSA-TEST-1', approvedBy: 'test', expiresOn: '2099-12-31' });
  } finally {
    catalog.close();
  }
  const base = { dataDir: data, databaseUrl: null, referenceDir: reference, config: { ...readConfig({}), pseudoKey: KEY }, uploadLimit: 50 * 1024 * 1024 };
  const handlers = jobHandlers(base);
  const jobs = new InProcessQueue(options.stubNationalJobs ? { ...handlers, process: async () => ({ stubbed: true }), publish: async () => ({ stubbed: true }) } : handlers);
  const app = await buildServer({ ...base, jobs }, { rateLimit: 100_000 });
  return { app, jobs, data, synth, providers, commissioners, tokens, zips };
}

/** A multipart/form-data body with one file. */
export function multipartFile(path: string, name = 'submission.zip'): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----iapt${Date.now()}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/zip\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, readFileSync(path), tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** The example agreement (examples/agreement-example.json) over the fixture's months, under another id. */
export function exampleAgreement(id: string): Record<string, unknown> {
  const agreement = JSON.parse(readFileSync(new URL('../../examples/agreement-example.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  return { ...agreement, id, periods: { from: '2024-08', to: PERIOD } };
}

/** Closes the server, lets its jobs and a last audit write finish, and removes the test's folder (never failing on it). */
export async function stopServed(s: Served | undefined, root: string): Promise<void> {
  await s?.app.close();
  await s?.jobs.idle();
  await new Promise((resolve) => setTimeout(resolve, 300));
  try {
    rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  } catch {
    // a temporary folder: the system removes it
  }
}
