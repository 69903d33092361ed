// Hand-built national tables for derivation tests: describe pathways, get Parquet files like `iapt process` writes.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openDb, type Db } from '../../src/core/db.js';
import { ident, literal } from '../../src/core/sql.js';
import { toolByKey } from '../../src/dataset/index.js';
import { readRows } from '../helpers/db.js';

export interface ContactSpec {
  day: string;
  app?: string;
  attend?: string;
  time?: string;
  therapy?: string;
  ltc?: string;
  psychMed?: string;
  /** PlannedCareContIndicator ('Y' unless given; 'N' = unplanned, which carries no attendance code). */
  planned?: string;
  /** Scores on this contact's activity (IDS607), by tool key. */
  scores?: Record<string, number | string>;
}

export interface PathwaySpec {
  id: string;
  received: string;
  discharged?: string;
  contacts?: ContactSpec[];
  /** Referral-level scores (IDS606). */
  referralScores?: { tool: string; score: number | string; day: string; time?: string }[];
  complaints?: { code: string; scheme?: string; significance?: string; day?: string }[];
  /** Internet-enabled therapy log entries (IDS205). */
  iet?: { start: string; end?: string }[];
  person?: string;
}

type Row = Record<string, string | number | boolean | null>;

async function writeTable(db: Db, dir: string, name: string, columns: string[], rows: Row[]): Promise<void> {
  // Submitted items are text in the real tables; numbers and flags keep their type. Nulls take their column's.
  const typeOf = (c: string) => {
    const sample = rows.map((r) => r[c]).find((v) => v !== null && v !== undefined);
    return typeof sample === 'number' ? 'BIGINT' : typeof sample === 'boolean' ? 'BOOLEAN' : 'VARCHAR';
  };
  const value = (c: string, v: Row[string]) => (v === null || v === undefined ? `CAST(NULL AS ${typeOf(c)})` : literal(v));
  const body = rows.length ? `VALUES ${rows.map((r) => `(${columns.map((c) => value(c, r[c] ?? null)).join(', ')})`).join(', ')}` : `SELECT ${columns.map(() => 'CAST(NULL AS VARCHAR)').join(', ')} WHERE false`;
  await db.run(`COPY (SELECT * FROM (${body}) t(${columns.map(ident).join(', ')})) TO ${literal(join(dir, `${name}.parquet`))} (FORMAT parquet)`);
}

export async function buildNational(dir: string, pathways: PathwaySpec[]): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const r101: Row[] = [];
  const r201: Row[] = [];
  const r202: Row[] = [];
  const r603: Row[] = [];
  const r606: Row[] = [];
  const r607: Row[] = [];
  const r205: Row[] = [];
  let n = 0;
  for (const p of pathways) {
    r101.push({ PathwayID: p.id, Person_ID: p.person ?? 'U1', ReferralRequestReceivedDate: p.received, ServDischDate: p.discharged ?? null, OrgID_Provider: 'RA1', OrgIDComm: '00X', UsePathway_Flag: true });
    for (const c of p.contacts ?? []) {
      const contact = `C${++n}`;
      const activity = `A${n}`;
      r201.push({ PathwayID: p.id, Unique_CareContactID: contact, CareContDate: c.day, CareContTime: c.time ?? '10:00:00', UniqueID_IDS201: n, AppType: c.app ?? '02', AttendOrDNACode: c.planned === 'N' ? (c.attend ?? null) : (c.attend ?? '5'), PlannedCareContIndicator: c.planned ?? 'Y', PsychMed: c.psychMed ?? null, IAPTLTCServiceInd: c.ltc ?? 'N' });
      r202.push({ Unique_CareActivityID: activity, Unique_CareContactID: contact, CodeProcAndProcStatus: c.therapy ?? '304891004' });
      for (const [key, score] of Object.entries(c.scores ?? {})) r607.push({ PathwayID: p.id, Unique_CareActivityID: activity, CodedAssToolType: toolByKey(key).snomed, PersScore: String(score), UniqueID_IDS607: ++n });
    }
    for (const i of p.iet ?? []) r205.push({ PathwayID: p.id, StartDateIntEnabledTherLog: i.start, EndDateIntEnabledTherLog: i.end ?? i.start, IntEnabledTherProg: 'SilverCloud', DurationIntEnabledTher: '30', UniqueID_IDS205: ++n });
    for (const s of p.referralScores ?? []) r606.push({ PathwayID: p.id, CodedAssToolType: toolByKey(s.tool).snomed, PersScore: String(s.score), AssToolCompDate: s.day, AssToolCompTime: s.time ?? '09:00:00', UniqueID_IDS606: ++n });
    for (const c of p.complaints ?? []) r603.push({ PathwayID: p.id, FindSchemeInUse: c.scheme ?? '01', PresComp: c.code, PresCompCodSig: c.significance ?? '1', PresCompDate: c.day ?? p.received, UniqueID_IDS603: ++n });
  }
  const db = await openDb();
  try {
    await writeTables(db, dir, { r101, r201, r202, r603, r606, r607, r205 });
  } finally {
    db.close();
  }
}

async function writeTables(db: Db, dir: string, t: Record<'r101' | 'r201' | 'r202' | 'r603' | 'r606' | 'r607' | 'r205', Row[]>): Promise<void> {
  const { r101, r201, r202, r603, r606, r607, r205 } = t;
  await writeTable(db, dir, 'IDS101Referral', ['PathwayID', 'Person_ID', 'ReferralRequestReceivedDate', 'ServDischDate', 'OrgID_Provider', 'OrgIDComm', 'UsePathway_Flag'], r101);
  await writeTable(db, dir, 'IDS004EmpStatus', ['Person_ID', 'EmployStatusRecDate', 'SSPInd', 'UniqueID_IDS004'], [
    { Person_ID: 'U2', EmployStatusRecDate: '2023-12-01', SSPInd: 'Y', UniqueID_IDS004: 1 },
    { Person_ID: 'U2', EmployStatusRecDate: '2024-01-20', SSPInd: 'Y', UniqueID_IDS004: 2 },
    { Person_ID: 'U2', EmployStatusRecDate: '2024-03-01', SSPInd: null, UniqueID_IDS004: 3 },
    { Person_ID: 'U2', EmployStatusRecDate: '2024-05-10', SSPInd: 'N', UniqueID_IDS004: 4 },
  ]);
  await writeTable(db, dir, 'IDS201CareContact', ['PathwayID', 'Unique_CareContactID', 'CareContDate', 'CareContTime', 'UniqueID_IDS201', 'AppType', 'AttendOrDNACode', 'PlannedCareContIndicator', 'PsychMed', 'IAPTLTCServiceInd'], r201);
  await writeTable(db, dir, 'IDS202CareActivity', ['Unique_CareActivityID', 'Unique_CareContactID', 'CodeProcAndProcStatus'], r202);
  await writeTable(db, dir, 'IDS205InternetTherLog', ['PathwayID', 'StartDateIntEnabledTherLog', 'EndDateIntEnabledTherLog', 'IntEnabledTherProg', 'DurationIntEnabledTher', 'UniqueID_IDS205'], r205);
  await writeTable(db, dir, 'IDS603PresentingComplaints', ['PathwayID', 'FindSchemeInUse', 'PresComp', 'PresCompCodSig', 'PresCompDate', 'UniqueID_IDS603'], r603);
  await writeTable(db, dir, 'IDS606CodedScoreAssessmentRefer', ['PathwayID', 'CodedAssToolType', 'PersScore', 'AssToolCompDate', 'AssToolCompTime', 'UniqueID_IDS606'], r606);
  await writeTable(db, dir, 'IDS607CodedScoreAssessmentAct', ['PathwayID', 'Unique_CareActivityID', 'CodedAssToolType', 'PersScore', 'UniqueID_IDS607'], r607);
  await writeTable(db, dir, 'IDS001MPI', ['Person_ID', 'EthnicCategory', 'IndicesOfDeprivationDecile', 'OrgIDSubICBLocResidence'], [
    { Person_ID: 'U1', EthnicCategory: 'A', IndicesOfDeprivationDecile: 3, OrgIDSubICBLocResidence: '00X' },
    { Person_ID: 'U2', EthnicCategory: '9', IndicesOfDeprivationDecile: 10, OrgIDSubICBLocResidence: null },
    { Person_ID: 'U3', EthnicCategory: 'Q', IndicesOfDeprivationDecile: null, OrgIDSubICBLocResidence: null },
  ]);
  await writeTable(db, dir, 'IDS002GP', ['Person_ID', 'GMPCodeReg'], [{ Person_ID: 'U1', GMPCodeReg: 'A81001' }, { Person_ID: 'U2', GMPCodeReg: 'Z99999' }]);
  await writeTable(db, dir, 'IDS803CareCluster', ['Person_ID', 'StartDateCareClust', 'EndDateCareClust'], [
    { Person_ID: 'U1', StartDateCareClust: '2024-05-10', EndDateCareClust: null },
    { Person_ID: 'U2', StartDateCareClust: '2024-03-01', EndDateCareClust: '2024-05-20' },
  ]);
}

export async function readDerived(dir: string): Promise<Map<string, Record<string, unknown>>> {
  const db = await openDb();
  try {
    const rows = await readRows<Record<string, unknown>>(db, `SELECT * FROM read_parquet(${literal(join(dir, 'IDS101Referral.parquet'))})`);
    return new Map(
      rows.map((r) => [
        r.PathwayID as string,
        Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v instanceof Date ? v.toISOString().slice(0, 10) : v && typeof v === 'object' && 'days' in v ? String(v) : v])),
      ]),
    );
  } finally {
    db.close();
  }
}

/** Rows of any national table, with bigints as numbers. */
export async function readTable(dir: string, table: string): Promise<Record<string, unknown>[]> {
  const db = await openDb();
  try {
    return (await readRows<Record<string, unknown>>(db, `SELECT * FROM read_parquet(${literal(join(dir, `${table}.parquet`))})`)).map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])),
    );
  } finally {
    db.close();
  }
}
