// `iapt extract research` on two synthetic providers over three months (2024-07..2024-09, processed for 2024-09
// once in beforeAll). Expected figures are worked out here from the submitted zips, independently of the platform:
// a referral is in an agreement's periods when the last month whose zip holds it falls in them (docs/linkage.md:
// IDS101's row is the latest appearance), a person is their NHS number (or provider, local id and birth date
// without one), and the agreement's keys are recomputed with node:crypto from the documented scheme
// (src/extracts/agreementKey.ts). The opt-out register holds the NHS numbers of two people with referrals in the
// periods, chosen from the zips.
import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/core/db.js';
import { IaptError } from '../../src/core/errors.js';
import { literal } from '../../src/core/sql.js';
import { columnClass } from '../../src/dataset/index.js';
import { derivePeriod } from '../../src/derivation/index.js';
import { readManifest, sha256OfFile, type ReleaseManifest } from '../../src/core/release/manifest.js';
import { importOptOutRegister } from '../../src/extracts/optOut/register.js';
import { researchExtract, type ResearchExtractResult } from '../../src/extracts/research/extract.js';
import { RESEARCH_TABLES } from '../../src/extracts/research/layout.js';
import { processPeriod } from '../../src/linkage/process.js';
import { submit } from '../../src/store/submit.js';
import { readRows } from '../helpers/db.js';
import { run } from '../helpers/cli.js';
import { expectGolden } from '../helpers/golden.js';
import { readSubmission } from '../helpers/submission.js';
import { receivedFor, synthMonths } from '../store/helpers.js';

const root = mkdtempSync(join(tmpdir(), 'iapt-research-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const synth = join(root, 'synth');
const reference = join(synth, 'reference');
const data = join(root, 'data');
const KEY = 'c3'.repeat(32);
const PERIOD = '2024-09';
const EXAMPLE = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../examples/agreement-example.json'), 'utf8')) as { tables: Record<string, string[]> } & Record<string, unknown>;

/** Agreement A: the example agreement over August and September only (opt-out applied, codes encrypted, age at referral). */
const agreementA = { ...EXAMPLE, id: 'DARS-NIC-111111', periods: { from: '2024-08', to: PERIOD } };
/** Agreement B: another agreement over the same data (opt-out exempt, codes in clear, year and month of birth). */
const agreementB = {
  id: 'DARS-NIC-222222',
  recipient: 'Another university',
  purpose: 'Another study',
  periods: { from: '2024-08', to: PERIOD },
  tables: {
    IAPT_demographics_and_referral: ['Gender', 'PersonBirthDate', 'OrgID_Provider', 'OrgIDSubICBLocResidence', 'Recovery_Flag'],
    IAPT_care_activities: ['CareContDate', 'CodeProcAndProcStatus'],
    IAPT_internet_enabled_therapies: ['StartDateIntEnabledTherLog', 'DurationIntEnabledTher', 'QualAttainLevelIAPT'],
  },
  optOut: { exempt: 'Confidentiality Advisory Group support under s.251 (CAG 24/CAG/0001)' },
  organisationCodes: 'clear',
  geography: 'sub-icb',
  dateOfBirth: 'year-month',
};

// ---- independent expectations, from the zips -------------------------------------------------------------------

/** The NHS number check (Modulus 11), written out here rather than taken from the platform. */
function validNhs(n: string): boolean {
  if (!/^\d{10}$/.test(n)) return false;
  const sum = [...n.slice(0, 9)].reduce((s, d, i) => s + Number(d) * (10 - i), 0);
  const check = (11 - (sum % 11)) % 11;
  return check !== 10 && check === Number(n[9]);
}
const hmac = (key: Buffer, message: string) => createHmac('sha256', key).update(message).digest('hex');
const nationalKey = Buffer.from(KEY, 'hex');
/** The agreement's cohort key of a person, from the documented scheme: 'C' ‖ HMAC(agreement secret, "cohort:" ‖ Person_ID), 31 hex digits. */
const cohortKey = (agreementId: string, personId: string) => `C${hmac(createHmac('sha256', nationalKey).update(`iapt-agreement-key:v1:${agreementId}`).digest(), `cohort:${personId}`).slice(0, 31)}`;

interface Person {
  personId: string;
  nhs: string | null;
  /** YYYY-MM of the birth date in the latest zip that gives one. */
  birthYearMonth: string | null;
}
/** Everything the tests compare with, from the zips. */
interface Expected {
  people: Map<string, Person>;
  /** Pathway (provider|person|ServiceRequestId) → its Person_ID and the last month whose zip holds it. */
  pathways: Map<string, { personId: string; latest: string }>;
  /** Contacts (IDS201 rows) per pathway and month. */
  contacts: { pathway: string; period: string }[];
  /** The staff (provider|CarePersLocalId) of each care activity (IDS202) and IET log (IDS205) row, by pathway and month. */
  staffWork: { table: 'IDS202' | 'IDS205'; pathway: string; period: string; staff: string }[];
  /** The staff of each qualification row (IDS902), by month. */
  qualifications: { period: string; staff: string }[];
  providers: string[];
}

type Cell = (name: string) => string;

function expectedFromZips(files: { path: string; provider: string; period: string }[]): Expected {
  const people = new Map<string, Person>();
  const pathways = new Map<string, { personId: string; latest: string }>();
  const contacts: Expected['contacts'] = [];
  const staffWork: Expected['staffWork'] = [];
  const qualifications: Expected['qualifications'] = [];
  for (const f of [...files].sort((a, b) => a.period.localeCompare(b.period))) {
    const zip = readSubmission(join(synth, f.path));
    const mpi = zip.get('IDS001MPI')!;
    const m = (row: string[], name: string) => row[mpi.header.indexOf(name)] ?? '';
    const personOf = new Map<string, string>();
    for (const row of mpi.rows) {
      const nhs = m(row, 'NHSNumber').trim();
      const birth = m(row, 'PersonBirthDate');
      const personId = validNhs(nhs) ? `1${hmac(nationalKey, `nhs:${nhs}`).slice(0, 31)}` : `U${hmac(nationalKey, `local:${f.provider}|${m(row, 'LocalPatientId')}|${birth}`).slice(0, 31)}`;
      personOf.set(m(row, 'LocalPatientId'), personId);
      const known = people.get(personId);
      const birthYearMonth = /^\d{4}-\d{2}-\d{2}$/.test(birth) ? birth.slice(0, 7) : null;
      people.set(personId, { personId, nhs: validNhs(nhs) ? nhs : null, birthYearMonth: birthYearMonth ?? known?.birthYearMonth ?? null });
    }
    const referrals = zip.get('IDS101Referral')!;
    const r = (row: string[], name: string) => row[referrals.header.indexOf(name)] ?? '';
    const pathwayOf = new Map<string, string>();
    for (const row of referrals.rows) {
      const personId = personOf.get(r(row, 'LocalPatientId'))!;
      const pathway = `${f.provider}|${personId}|${r(row, 'ServiceRequestId')}`;
      pathwayOf.set(r(row, 'ServiceRequestId'), pathway);
      pathways.set(pathway, { personId, latest: f.period });
    }
    const [ids201, ids202, ids205, ids902] = ['IDS201CareContact', 'IDS202CareActivity', 'IDS205InternetTherLog', 'IDS902CarePersQual'].map((t) => {
      const table = zip.get(t)!;
      return table.rows.map((row) => (name: string) => row[table.header.indexOf(name)] ?? '');
    }) as [Cell[], Cell[], Cell[], Cell[]];
    const contactPathway = new Map<string, string>();
    for (const c of ids201) {
      contacts.push({ pathway: pathwayOf.get(c('ServiceRequestId'))!, period: f.period });
      contactPathway.set(c('CareContactId'), pathwayOf.get(c('ServiceRequestId'))!);
    }
    const staff = (c: Cell) => `${f.provider}|${c('CarePersLocalId')}`;
    for (const c of ids202) if (c('CarePersLocalId')) staffWork.push({ table: 'IDS202', pathway: contactPathway.get(c('CareContactId'))!, period: f.period, staff: staff(c) });
    for (const c of ids205) if (c('CarePersLocalId')) staffWork.push({ table: 'IDS205', pathway: pathwayOf.get(c('ServiceRequestId'))!, period: f.period, staff: staff(c) });
    for (const c of ids902) qualifications.push({ period: f.period, staff: staff(c) });
  }
  return { people, pathways, contacts, staffWork, qualifications, providers: [...new Set(files.map((f) => f.provider))].sort() };
}

// ---- the data directory ---------------------------------------------------------------------------------------

let expected: Expected;
/** In agreement A's and B's periods (2024-08..2024-09). */
let inPeriods: { pathways: string[]; people: Set<string> };
/** The two people of the opt-out register. */
let optedOut: Person[];
let a: ResearchExtractResult;
let b: ResearchExtractResult;
const outA = join(root, 'extract-a');
const outB = join(root, 'extract-b');

function agreementFile(name: string, agreement: object): string {
  const path = join(root, `${name}.json`);
  writeFileSync(path, JSON.stringify(agreement, null, 2));
  return path;
}
const extract = (name: string, agreement: object, out: string, extra: { format?: 'parquet' | 'csv'; force?: boolean } = {}) =>
  researchExtract({ dataDir: data, agreementFile: agreementFile(name, agreement), out, pseudoKey: KEY, ...extra });

async function query<T>(sql: string): Promise<T[]> {
  const db = await openDb();
  try {
    return (await readRows<T>(db, sql)).map((r) => Object.fromEntries(Object.entries(r as object).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])) as T);
  } finally {
    db.close();
  }
}
const parquet = (file: string) => `read_parquet(${literal(file)})`;
const csv = (file: string) => `read_csv(${literal(file)}, header = true, all_varchar = true)`;
async function failure(promise: Promise<unknown>): Promise<IaptError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IaptError);
  return error as IaptError;
}

beforeAll(async () => {
  const months = synthMonths(synth, '2024-07..2024-09', 2);
  for (const f of months.files) {
    const r = await submit(join(synth, f.path), { dataDir: data, received: receivedFor(f.period, 'primary'), referenceDir: reference });
    if (r.status !== 'stored') throw new Error(`${f.path} was not stored`);
  }
  await processPeriod({ dataDir: data, period: PERIOD, referenceDir: reference, pseudoKey: KEY, afterLink: (folder) => derivePeriod(folder, PERIOD, reference) });

  expected = expectedFromZips(months.files);
  const pathways = [...expected.pathways].filter(([, p]) => p.latest >= '2024-08').map(([k]) => k);
  inPeriods = { pathways, people: new Set(pathways.map((k) => expected.pathways.get(k)!.personId)) };
  // The register: the first two people (in Person_ID order) with an NHS number and a referral in the periods.
  optedOut = [...inPeriods.people]
    .sort()
    .map((id) => expected.people.get(id)!)
    .filter((p) => p.nhs !== null)
    .slice(0, 2);
  const register = join(root, 'optout.csv');
  writeFileSync(register, `NHSNumber\n${optedOut.map((p) => p.nhs).join('\n')}\n`);
  await importOptOutRegister(register, { dataDir: data, pseudoKey: KEY, importedAt: '2024-10-15T09:00:00.000Z' });

  a = await extract('agreement-a', agreementA, outA);
  b = await extract('agreement-b', agreementB, outB, { format: 'csv' });
}, 120_000);

// ---- the tests ----------------------------------------------------------------------------------------------------

const fileOf = (result: ResearchExtractResult, table: string) => result.tables.find((t) => t.table === table)!.file;

describe('iapt extract research: scope and opt-out', () => {
  it('holds the referrals submitted in the periods and their people, less the people who opted out', async () => {
    // From the zips: 370 referrals of 369 people over July–September; 305 referrals (of 304 people) were last sent
    // in August or September, the other 65 only in July (closed then). The two opted-out people have one referral
    // each in the periods. So 305 − 2 = 303 referrals of 304 − 2 = 302 people.
    const removedPathways = inPeriods.pathways.filter((k) => optedOut.some((p) => p.personId === expected.pathways.get(k)!.personId));
    expect({ referrals: expected.pathways.size, people: expected.people.size }).toEqual({ referrals: 370, people: 369 });
    expect({ referrals: inPeriods.pathways.length, people: inPeriods.people.size, optedOut: optedOut.length, removed: removedPathways.length }).toEqual({ referrals: 305, people: 304, optedOut: 2, removed: 2 });
    const demographics = fileOf(a, 'IAPT_demographics_and_referral');
    const [counts] = await query<{ referrals: number; referralPeople: number; persons: number; sources: string }>(
      `SELECT count(*) FILTER (WHERE SourceTable = 'IDS101Referral') AS referrals, count(DISTINCT cohortkey_e) FILTER (WHERE SourceTable = 'IDS101Referral') AS referralPeople, ` +
        `count(*) FILTER (WHERE SourceTable = 'IDS001MPI') AS persons, string_agg(DISTINCT SourceTable, ',' ORDER BY SourceTable) AS sources FROM ${parquet(demographics)}`,
    );
    // Its rows: one per referral (IDS101) and one per person (IDS001); OrgID_Provider, which every table carries,
    // does not bring in the rows of IDS002–IDS012, which hold no other listed item.
    expect(counts).toEqual({ referrals: 303, referralPeople: 302, persons: 302, sources: 'IDS001MPI,IDS101Referral' });
    expect({ pathways: a.pathways, people: a.people }).toEqual({ pathways: 303, people: 302 });
    // The keys are the documented scheme's: every in-scope person's cohort key, recomputed here, and no other.
    const keys = await query<{ k: string }>(`SELECT DISTINCT cohortkey_e AS k FROM ${parquet(demographics)}`);
    const kept = [...inPeriods.people].filter((id) => !optedOut.some((p) => p.personId === id));
    expect(new Set(keys.map((k) => k.k))).toEqual(new Set(kept.map((id) => cohortKey(agreementA.id, id))));
  });

  it('leaves the opted-out people out of every table when the opt-out is applied, and keeps them under an exemption', async () => {
    const keysA = optedOut.map((p) => cohortKey(agreementA.id, p.personId));
    for (const t of a.tables) {
      const [{ n }] = (await query<{ n: number }>(`SELECT count(*) AS n FROM ${parquet(t.file)} WHERE cohortkey_e IN (${keysA.map(literal).join(', ')})`)) as [{ n: number }];
      expect(n, t.table).toBe(0);
    }
    expect(a.optOut).toEqual({ applied: true, registerVersion: 1, registerImportedAt: '2024-10-15T09:00:00.000Z', peopleRemoved: 2 });
    const keysB = optedOut.map((p) => cohortKey(agreementB.id, p.personId));
    const present = await query<{ k: string }>(`SELECT DISTINCT cohortkey_e AS k FROM ${csv(fileOf(b, 'IAPT_demographics_and_referral'))} WHERE cohortkey_e IN (${keysB.map(literal).join(', ')})`);
    expect(present).toHaveLength(2);
    expect(b.optOut).toEqual({ applied: false, reason: `exempt: ${agreementB.optOut.exempt}` });
    expect(b.people).toBe(inPeriods.people.size);
  });

  it("takes activity of the periods only: the contacts of the in-scope referrals in August's and September's zips", async () => {
    const inScope = new Set(inPeriods.pathways.filter((k) => !optedOut.some((p) => p.personId === expected.pathways.get(k)!.personId)));
    const contacts = expected.contacts.filter((c) => c.period >= '2024-08' && inScope.has(c.pathway)).length;
    const [{ n, july }] = (await query<{ n: number; july: number }>(
      `SELECT count(*) FILTER (WHERE SourceTable = 'IDS201CareContact') AS n, count(*) FILTER (WHERE CareContDate < '2024-08-01' AND SourceTable = 'IDS201CareContact') AS july FROM ${parquet(fileOf(a, 'IAPT_care_activities'))}`,
    )) as [{ n: number; july: number }];
    // 719 contacts in August's and September's zips, 9 of them of the two opted-out people: 710.
    expect({ all: expected.contacts.filter((c) => c.period >= '2024-08').length, kept: contacts }).toEqual({ all: 719, kept: 710 });
    expect(n).toBe(contacts);
    expect(july).toBe(0);
  });

  it('gives the qualifications only of staff who worked on the referrals in scope: of the care activities in one table, of the IET logs in the other', async () => {
    // IDS902 comes from September's zips (the processed period's); staff are matched by provider and CarePersLocalId.
    const kept = (pathway: string, exempt: boolean) => inPeriods.pathways.includes(pathway) && (exempt || !optedOut.some((p) => p.personId === expected.pathways.get(pathway)!.personId));
    const qualificationsOf = (table: 'IDS202' | 'IDS205', exempt: boolean) => {
      const worked = new Set(expected.staffWork.filter((w) => w.table === table && w.period >= '2024-08' && kept(w.pathway, exempt)).map((w) => w.staff));
      return expected.qualifications.filter((q) => q.period === PERIOD && worked.has(q.staff)).length;
    };
    const count = async (file: string, read: (f: string) => string) =>
      ((await query<{ n: number }>(`SELECT count(*) AS n FROM ${read(file)} WHERE SourceTable = 'IDS902CarePersQual'`)) as [{ n: number }])[0].n;
    const september = expected.qualifications.filter((q) => q.period === PERIOD).length;
    const [activities, iet] = [qualificationsOf('IDS202', false), qualificationsOf('IDS205', true)];
    // 12 qualification rows in September's zips; all 12 staff recorded care activities of the referrals in scope,
    // 5 of them logged internet-enabled therapy.
    expect({ september, activities, iet }).toEqual({ september: 12, activities: 12, iet: 5 });
    expect(await count(fileOf(a, 'IAPT_care_activities'), parquet)).toBe(activities);
    expect(await count(fileOf(b, 'IAPT_internet_enabled_therapies'), csv)).toBe(iet);
  });

  it('joins each qualification to the activities of its member of staff by CarePersonnelKey_e', async () => {
    const rows = await query<{ source: string; staff: string }>(`SELECT SourceTable AS source, CarePersonnelKey_e AS staff FROM ${parquet(fileOf(a, 'IAPT_care_activities'))} WHERE CarePersonnelKey_e IS NOT NULL`);
    const worked = new Set(rows.filter((r) => r.source === 'IDS202CareActivity').map((r) => r.staff));
    const qualified = rows.filter((r) => r.source === 'IDS902CarePersQual');
    expect(qualified.length).toBeGreaterThan(0);
    for (const q of qualified) expect(worked.has(q.staff)).toBe(true);
    // Staff rows are about no patient.
    const [{ n }] = (await query<{ n: number }>(`SELECT count(*) AS n FROM ${parquet(fileOf(a, 'IAPT_care_activities'))} WHERE SourceTable = 'IDS902CarePersQual' AND cohortkey_e IS NOT NULL`)) as [{ n: number }];
    expect(n).toBe(0);
  });
});

describe('iapt extract research: minimisation and keys', () => {
  it('writes only the listed tables, each with only the listed items and the keys', () => {
    expect(readdirSync(outA).sort()).toEqual(['IAPT_care_activities.parquet', 'IAPT_coded_scored_assessments.parquet', 'IAPT_demographics_and_referral.parquet', 'manifest.json']);
    const columns = Object.fromEntries(a.tables.map((t) => [t.table, t.columns]));
    expect(columns).toEqual({
      // PersonBirthDate (dateOfBirth age-at-referral) comes out as the age at referral; organisation and sub-ICB codes encrypted (_e).
      IAPT_demographics_and_referral: [
        'cohortkey_e', 'PathwayID_e', 'SourceTable',
        'Gender', 'EthnicCategory', 'Age_ReferralRequest_ReceivedDate', 'IndicesOfDeprivationDecile', 'OrgIDSubICBLocResidence_e', 'OrgID_Provider_e',
        'ReferralRequestReceivedDate', 'SourceOfReferralIAPT', 'ServDischDate', 'EndCode', 'TreatmentCareContact_Count', 'PHQ9_FirstScore', 'PHQ9_LastScore',
        'GAD_FirstScore', 'GAD_LastScore', 'CompletedTreatment_Flag', 'Caseness_Flag', 'Recovery_Flag', 'ReliableImprovement_Flag', 'ReliableDeterioration_Flag', 'ReliableRecovery_Flag',
      ],
      IAPT_coded_scored_assessments: ['cohortkey_e', 'PathwayID_e', 'SourceTable', 'CareActivityKey_e', 'CodedAssToolType', 'PersScore', 'AssToolCompDate', 'Age_AssessmentCompletion_Date'],
      IAPT_care_activities: [
        'cohortkey_e', 'PathwayID_e', 'SourceTable', 'CareContactKey_e', 'CareActivityKey_e', 'CarePersonnelKey_e',
        'CareContDate', 'AttendOrDNACode', 'AppType', 'ConsMechanism', 'ClinContDurOfCareCont', 'CodeProcAndProcStatus', 'QualAttainLevelIAPT',
      ],
    });
    // Agreement B: year and month of birth on the IDS001 rows, codes in clear.
    expect(b.tables.find((t) => t.table === 'IAPT_demographics_and_referral')!.columns).toEqual([
      'cohortkey_e', 'PathwayID_e', 'SourceTable', 'Gender', 'PersonBirthYearMonth', 'OrgID_Provider', 'OrgIDSubICBLocResidence', 'Recovery_Flag',
    ]);
  });

  it('releases the year and month of birth as the submitted birth date’s YYYY-MM, never the date', async () => {
    const rows = await query<{ k: string; ym: string | null; source: string }>(`SELECT cohortkey_e AS k, PersonBirthYearMonth AS ym, SourceTable AS source FROM ${csv(fileOf(b, 'IAPT_demographics_and_referral'))}`);
    const byKey = new Map([...expected.people.values()].map((p) => [cohortKey(agreementB.id, p.personId), p]));
    const persons = rows.filter((r) => r.source === 'IDS001MPI');
    expect(persons).toHaveLength(inPeriods.people.size);
    for (const r of persons) {
      expect(r.ym).toMatch(/^\d{4}-\d{2}$/);
      expect(r.ym, r.k).toBe(byKey.get(r.k)!.birthYearMonth);
    }
    expect(rows.filter((r) => r.source === 'IDS101Referral').every((r) => r.ym === null)).toBe(true);
  });

  it('gives two agreements over the same data keys that share no value', async () => {
    const keyColumns = (columns: string[]) => columns.filter((c) => c === 'cohortkey_e' || c.endsWith('Key_e') || c === 'PathwayID_e');
    const values = async (result: ResearchExtractResult, read: (f: string) => string) => {
      const all = new Set<string>();
      for (const t of result.tables) {
        for (const c of keyColumns(t.columns)) for (const r of await query<{ v: string }>(`SELECT DISTINCT "${c}" AS v FROM ${read(t.file)} WHERE "${c}" IS NOT NULL`)) all.add(r.v);
      }
      return all;
    };
    const [ka, kb] = [await values(a, parquet), await values(b, csv)];
    expect(ka.size).toBeGreaterThan(1000);
    expect(kb.size).toBeGreaterThan(1000);
    expect([...ka].filter((k) => kb.has(k))).toEqual([]);
    // Nor any national pseudonym: A's keys are not Person_IDs or PathwayIDs of the processed set.
    const national = await query<{ v: string }>(`SELECT Person_ID AS v FROM ${parquet(join(data, 'processed', PERIOD, 'IDS101Referral.parquet'))} UNION SELECT PathwayID FROM ${parquet(join(data, 'processed', PERIOD, 'IDS101Referral.parquet'))}`);
    expect(national.filter((r) => ka.has(r.v))).toEqual([]);
  });

  it('encrypts organisation and area codes: the same code always gives the same value, and none equals a clear code', async () => {
    const demographics = parquet(fileOf(a, 'IAPT_demographics_and_referral'));
    const encrypted = await query<{ v: string }>(`SELECT DISTINCT OrgID_Provider_e AS v FROM ${demographics} UNION SELECT DISTINCT OrgIDSubICBLocResidence_e FROM ${demographics} WHERE OrgIDSubICBLocResidence_e IS NOT NULL`);
    expect(encrypted.every((r) => /^E[0-9a-f]{15}$/.test(r.v))).toBe(true);
    const [{ providers }] = (await query<{ providers: number }>(`SELECT count(DISTINCT OrgID_Provider_e) AS providers FROM ${demographics}`)) as [{ providers: number }];
    expect(providers).toBe(expected.providers.length); // 2 providers, 2 values
    // Every clear organisation or area code of every national table.
    const clear = new Set<string>();
    const folder = join(data, 'processed', PERIOD);
    const db = await openDb();
    try {
      for (const f of readdirSync(folder).filter((x) => x.endsWith('.parquet'))) {
        const columns = (await db.columns(parquet(join(folder, f)))).filter((c) => columnClass(c).organisation || columnClass(c).geography);
        if (columns.length === 0) continue;
        const rows = await readRows<{ v: string | null }>(db, columns.map((c) => `SELECT DISTINCT CAST("${c}" AS VARCHAR) AS v FROM ${parquet(join(folder, f))}`).join(' UNION '));
        for (const r of rows) if (r.v) clear.add(r.v.trim());
      }
    } finally {
      db.close();
    }
    expect(clear.size).toBeGreaterThan(10);
    expect(clear).toContain(expected.providers[0]);
    expect(encrypted.filter((r) => clear.has(r.v))).toEqual([]);
    // Agreement B keeps them clear: its providers are the submitted ones.
    const clearB = await query<{ v: string }>(`SELECT DISTINCT OrgID_Provider AS v FROM ${csv(fileOf(b, 'IAPT_demographics_and_referral'))} ORDER BY v`);
    expect(clearB.map((r) => r.v)).toEqual(expected.providers);
  });

  it('refuses an item that is not in the table’s national tables, naming the table and the items it may list', async () => {
    const error = await failure(extract('unknown-item', { ...agreementA, tables: { IAPT_care_cluster: ['AMHCareClustCode', 'amhcareclustcodefin'] } }, join(root, 'never')));
    const file = join(root, 'unknown-item.json');
    const valid =
      'AMHCareClustCodeFin, StartDateCareClust, StartTimeCareClust, EndDateCareClust, EndTimeCareClust, OrgID_Provider, Unique_MonthID, File_Type, CareCluster_StartedInRP_Flag, CareCluster_EndedInRP_Flag, CareCluster_OpenAtRPEnd_Flag, CareCluster_DayCount';
    expect(error.kind).toBe('input');
    expect(error.message).toBe(
      [
        `${file}: tables.IAPT_care_cluster: "AMHCareClustCode" is not an item of IDS803CareCluster; the items it may list: ${valid}`,
        `${file}: tables.IAPT_care_cluster: "amhcareclustcodefin" is not an item of IDS803CareCluster (did you mean "AMHCareClustCodeFin"?); the items it may list: ${valid}`,
      ].join('\n'),
    );
    expect(existsSync(join(root, 'never'))).toBe(false);
  });
});

describe('iapt extract research: output', () => {
  it('writes owner-only files with a manifest of kind research (golden, createdAt and file hashes masked)', () => {
    const manifest = readManifest(join(outA, 'manifest.json'));
    for (const f of manifest.files) expect(sha256OfFile(join(outA, f.name))).toBe(f.sha256);
    expect(statSync(outA).mode & 0o777).toBe(0o700);
    for (const f of readdirSync(outA)) expect(statSync(join(outA, f)).mode & 0o777, f).toBe(0o600);
    const masked: ReleaseManifest = { ...manifest, createdAt: 'CREATED_AT', files: manifest.files.map((f) => ({ ...f, bytes: 0, sha256: 'SHA256' })) };
    expectGolden('research/manifest.json', JSON.stringify(masked, null, 2) + '\n');
    expect(manifest.files.map((f) => f.rows)).toEqual(a.tables.map((t) => t.rows));
  });

  it('refuses a non-empty --out without --force, and with --force anything but an earlier research extract; a failed run leaves the earlier one as it was', async () => {
    const before = readdirSync(outA).map((f) => [f, sha256OfFile(join(outA, f))]);
    expect((await failure(extract('again', agreementA, outA))).message).toBe(`--out: ${outA} is not empty; choose a new folder, or add --force to replace an earlier research extract there`);
    const other = join(root, 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'notes.txt'), 'mine');
    expect((await failure(extract('again', agreementA, other, { force: true }))).message).toBe(
      `--out: ${other} holds no research extract (no manifest.json), so --force will not replace it (the platform deletes only what it wrote)`,
    );
    writeFileSync(join(outB, 'notes.txt'), 'mine');
    expect((await failure(extract('again', agreementA, outB, { force: true }))).message).toMatch(/holds files its research extract did not write \(notes\.txt\)/);
    rmSync(join(outB, 'notes.txt'));
    // A run that fails half way (an item the data lacks) leaves the earlier extract untouched and no staging folder.
    await failure(extract('bad', { ...agreementA, tables: { ...agreementA.tables, IAPT_care_cluster: ['NoSuchItem'] } }, outA, { force: true }));
    expect(readdirSync(outA).map((f) => [f, sha256OfFile(join(outA, f))])).toEqual(before);
    expect(readdirSync(root).filter((f) => f.includes('.staging-') || f.includes('.replaced-'))).toEqual([]);
  });

  it('replaces an earlier research extract with --force, byte for byte the same from the same data and agreement', async () => {
    const before = readdirSync(outA).filter((f) => f !== 'manifest.json').map((f) => [f, sha256OfFile(join(outA, f))]);
    await extract('agreement-a', agreementA, outA, { force: true });
    expect(readdirSync(outA).filter((f) => f !== 'manifest.json').map((f) => [f, sha256OfFile(join(outA, f))])).toEqual(before);
    expect(readdirSync(root).filter((f) => f.includes('.staging-') || f.includes('.replaced-'))).toEqual([]);
  });

  it('refuses an agreement whose last period has not been processed', async () => {
    const error = await failure(extract('unprocessed', { ...agreementA, periods: { from: '2024-08', to: '2024-10' } }, join(root, 'never')));
    expect(error.kind).toBe('input');
    expect(error.message).toBe(`${join(root, 'unprocessed.json')}: periods.to: 2024-10 has not been processed: run iapt process --data ${data} --period 2024-10 first`);
  });

  it('runs from the command line and says what it wrote', async () => {
    const saved = process.env.IAPT_PSEUDO_KEY;
    process.env.IAPT_PSEUDO_KEY = KEY;
    try {
      const out = join(root, 'cli');
      const result = await run('extract', 'research', '--data', data, '--agreement', join(root, 'agreement-a.json'), '--out', out);
      expect(result.err).toBe('');
      expect(result.code).toBe(0);
      const demographics = a.tables.find((t) => t.table === 'IAPT_demographics_and_referral')!;
      expect(result.out).toContain(`IAPT_demographics_and_referral.parquet  ${demographics.rows.toLocaleString('en-GB')} rows`);
      expect(result.out).toContain('National data opt-out applied (register version 1): 2 people removed');
      expect(result.out).toContain(`Written to ${out}`);
      const bad = await run('extract', 'research', '--data', data, '--agreement', join(root, 'agreement-a.json'), '--out', join(root, 'cli-xls'), '--format', 'xls');
      expect({ code: bad.code, err: bad.err }).toEqual({ code: 2, err: 'iapt: --format: "xls" is not one of parquet, csv\n' });
    } finally {
      if (saved === undefined) delete process.env.IAPT_PSEUDO_KEY;
      else process.env.IAPT_PSEUDO_KEY = saved;
    }
  });

  it('knows the nine UK LLC tables, each made of data set tables, with record keys made from system keys', () => {
    expect(RESEARCH_TABLES).toHaveLength(9);
    for (const t of RESEARCH_TABLES) for (const k of t.recordKeys) expect(columnClass(k.column).systemKey, k.column).toBe(true);
  });
});
