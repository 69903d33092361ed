// Record-level derived items, table by table (docs/derivations.md "Record level"): each step is the SELECT that
// gives a national table its derived columns. Staged steps read the period's views (n101, n201, …) over the very
// files they replace, so they are kept in temporary tables until every step has run.
import { join } from 'node:path';
import type { TableName } from '../dataset/index.js';
import { dateLiteral, literal } from '../core/sql.js';
import { validatedCodeSql, validatedEthnicSql } from './record.js';

export interface RecordContext {
  folder: string;
  /** First and last day of the period (YYYY-MM-DD). */
  start: string;
  end: string;
  /** Whether the organisation look-ups (org_sub_icb, org_gp) are loaded. */
  reference: boolean;
  /** The columns IDS001MPI has (the geography columns come from linkage with reference data only). */
  mpiColumns: readonly string[];
}

export interface RecordStep {
  table: TableName;
  staged: boolean;
  select(ctx: RecordContext): string;
}

/** A sub-ICB code column as the look-up tables key it. */
export const subIcbKey = (column: string): string => `upper(trim(${column}))`;
const NO_CODE = 'CAST(NULL AS VARCHAR)';
const stored = (ctx: RecordContext, table: TableName) => `read_parquet(${literal(join(ctx.folder, `${table}.parquet`))})`;

// The organisation columns are always written: NULL where there is no reference data or the code is unknown to it
// (publish then groups the referral's region and ICB under UNKNOWN, or looks them up with its own --reference).

/** IDS101: the pathway items (derived_ids101) and the commissioner's region and ICB. */
const referral: RecordStep = {
  table: 'IDS101Referral',
  staged: true,
  select: (ctx) =>
    ctx.reference
      ? `SELECT t.*, sc.region_code AS CommissioningRegion, sc.icb_code AS OrgIDICBComm FROM derived_ids101 t LEFT JOIN org_sub_icb sc ON sc.sub_icb_code = ${subIcbKey('t.OrgIDComm')} ORDER BY PathwayID`
      : `SELECT t.*, ${NO_CODE} AS CommissioningRegion, ${NO_CODE} AS OrgIDICBComm FROM derived_ids101 t ORDER BY PathwayID`,
};

const complaints: RecordStep = {
  table: 'IDS603PresentingComplaints',
  staged: true,
  select: () => `SELECT *, ${validatedCodeSql('FindSchemeInUse', 'PresComp')} AS Validated_PresentingComplaint FROM n603 ORDER BY PathwayID, UniqueID_IDS603`,
};

const contacts: RecordStep = {
  table: 'IDS201CareContact',
  staged: true,
  select: () =>
    `SELECT c.*, date_diff('day', d(r.ReferralRequestReceivedDate), d(c.CareContDate)) AS Time_Referral_to_CareContact FROM n201 c LEFT JOIN (SELECT PathwayID, ReferralRequestReceivedDate FROM n101) r USING (PathwayID) ORDER BY c.PathwayID, c.UniqueID_IDS201`,
};

/** IDS001: validated ethnic category, IMD quartile (when linkage gave a decile), ICB of residence. */
const people: RecordStep = {
  table: 'IDS001MPI',
  staged: true,
  select: (ctx) => {
    const quartile = ctx.mpiColumns.includes('IndicesOfDeprivationDecile')
      ? `, CASE WHEN m.IndicesOfDeprivationDecile IS NULL THEN NULL ELSE CAST(ceil(m.IndicesOfDeprivationDecile * 4 / 10.0) AS INTEGER) END AS IndicesOfDeprivationQuartile`
      : '';
    // OrgIDSubICBLocResidence comes from the postcode in linkage, with reference data only.
    const residence = ctx.reference && ctx.mpiColumns.includes('OrgIDSubICBLocResidence');
    const icbOfResidence = residence ? `, rs.icb_code AS OrgIDICBRes` : `, ${NO_CODE} AS OrgIDICBRes`;
    const residenceJoin = residence ? ` LEFT JOIN org_sub_icb rs ON rs.sub_icb_code = ${subIcbKey('m.OrgIDSubICBLocResidence')}` : '';
    return `SELECT m.*, ${validatedEthnicSql('m.EthnicCategory')} AS Validated_EthnicCategory${quartile}${icbOfResidence} FROM ${stored(ctx, 'IDS001MPI')} m${residenceJoin} ORDER BY m.Person_ID`;
  },
};

/** IDS002: the registered GP practice's sub-ICB and ICB. */
const gp: RecordStep = {
  table: 'IDS002GP',
  staged: false,
  select: (ctx) =>
    ctx.reference
      ? `SELECT g.*, gp.sub_icb_code AS OrgIDSubICBLocGP, s.icb_code AS OrgIDICBGPPractice FROM ${stored(ctx, 'IDS002GP')} g LEFT JOIN org_gp gp ON gp.practice_code = ${subIcbKey('g.GMPCodeReg')} LEFT JOIN org_sub_icb s ON s.sub_icb_code = gp.sub_icb_code ORDER BY ALL`
      : `SELECT g.*, ${NO_CODE} AS OrgIDSubICBLocGP, ${NO_CODE} AS OrgIDICBGPPractice FROM ${stored(ctx, 'IDS002GP')} g`,
};

/** IDS803: care clusters started, ended or open in the period, and their days in it. */
const careClusters: RecordStep = {
  table: 'IDS803CareCluster',
  staged: false,
  select: (ctx) => {
    const [start, end] = [dateLiteral(ctx.start), dateLiteral(ctx.end)];
    return (
      `SELECT c.*, d(StartDateCareClust) BETWEEN ${start} AND ${end} AS CareCluster_StartedInRP_Flag, coalesce(d(EndDateCareClust) BETWEEN ${start} AND ${end}, false) AS CareCluster_EndedInRP_Flag, ` +
      `d(EndDateCareClust) IS NULL AS CareCluster_OpenAtRPEnd_Flag, date_diff('day', greatest(d(StartDateCareClust), ${start}), least(coalesce(d(EndDateCareClust), ${end}), ${end})) + 1 AS CareCluster_DayCount ` +
      `FROM ${stored(ctx, 'IDS803CareCluster')} c`
    );
  },
};

/** Every record step, in the order they run. */
export const RECORD_STEPS: readonly RecordStep[] = [referral, complaints, contacts, people, gp, careClusters];
