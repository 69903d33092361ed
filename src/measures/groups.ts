// Organisation group types of the published statistics, the commissioner geography they group by, and the names
// of their organisations from the reference data (docs/reference-data.md: region → ICB → sub-ICB, providers).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { sqlInteger, type Db } from '../core/db.js';
import { ident as q, literal as lit } from '../core/sql.js';
import { loadOrganisations, subIcbKey } from '../derivation/index.js';
import type { GroupType } from './disclosure/policy.js';

const keyValue = z.object({ key: z.string(), value: z.string() });

/** The IDS101 columns that identify a referral's organisations (the commissioner's ICB and region derived). */
export const ORG_KEYS = ['CommissioningRegion', 'OrgIDICBComm', 'OrgIDComm', 'OrgID_Provider'] as const;
export type OrgKey = (typeof ORG_KEYS)[number];

export const GROUPS: readonly { type: GroupType; keys: readonly OrgKey[] }[] = [
  { type: 'England', keys: [] },
  { type: 'CommissioningRegion', keys: ['CommissioningRegion'] },
  { type: 'ICB', keys: ['OrgIDICBComm'] },
  { type: 'SubICB', keys: ['OrgIDComm'] },
  { type: 'Provider', keys: ['OrgID_Provider'] },
  { type: 'SubICB/Provider', keys: ['OrgIDComm', 'OrgID_Provider'] },
];

export const groupKeys = (type: GroupType): readonly OrgKey[] => GROUPS.find((g) => g.type === type)!.keys;

/**
 * The region and ICB code of a referral whose commissioner geography cannot be resolved: NHS England publishes
 * such referrals under OrgCode and OrgName "UNKNOWN" (measures_annual, Commissioning Region 2017-18 to 2024-25 and
 * ICB 2022-23 to 2024-25).
 */
export const UNKNOWN_GEOGRAPHY = 'UNKNOWN';

/** The derived commissioner geography columns (derivation/index.ts). */
const GEOGRAPHY = [
  ['CommissioningRegion', 'region_code'],
  ['OrgIDICBComm', 'icb_code'],
] as const;

/** How the commissioner geography of a period's referrals was resolved. */
export interface GeographyResolution {
  /** Referrals used for the period. */
  referrals: number;
  /** Of which: with the region and ICB derived by `iapt process --reference`. */
  processed: number;
  /** Looked up by publish from its own reference data (processed without). */
  atPublication: number;
  /** Grouped under UNKNOWN. */
  unknown: number;
  /** Whether publish was given reference data. */
  reference: boolean;
}

/**
 * A view (returned by name) over the referral relation with the commissioner's CommissioningRegion and OrgIDICBComm
 * always present, for grouping: the value derived by `iapt process` (none when it ran without reference data, or
 * the columns are absent in data processed before they were always written); else, when publish has reference
 * data, the look-up of OrgIDComm in it (the derivation's look-up, loadOrganisations); else UNKNOWN_GEOGRAPHY.
 * England and provider groups do not depend on it.
 */
export async function withCommissionerGeography(db: Db, referrals: string, useFilter: string, referenceDir: string | undefined): Promise<{ relation: string; resolution: GeographyResolution }> {
  const columns = await db.columns(referrals);
  const present = GEOGRAPHY.map(([column]) => column).filter((c) => columns.includes(c));
  const derived = (column: string) => (columns.includes(column) ? `nullif(trim(CAST(r.${q(column)} AS VARCHAR)), '')` : 'CAST(NULL AS VARCHAR)');
  if (referenceDir) await loadOrganisations(db, referenceDir);
  const lookup = (reference: string) => (referenceDir ? `g.${reference}` : 'CAST(NULL AS VARCHAR)');
  const join = referenceDir ? ` LEFT JOIN org_sub_icb g ON g.sub_icb_code = ${subIcbKey('r.OrgIDComm')}` : '';
  const resolved = GEOGRAPHY.map(([column, reference]) => `coalesce(${derived(column)}, ${lookup(reference)}, ${lit(UNKNOWN_GEOGRAPHY)}) AS ${q(column)}`);
  const relation = 'm_referral_geography';
  await db.run(`CREATE OR REPLACE TEMP VIEW ${relation} AS SELECT r.*${present.length ? ` EXCLUDE (${present.map(q).join(', ')})` : ''}, ${resolved.join(', ')} FROM ${referrals} r${join}`);
  const all = (parts: (reference: string, column: string) => string) => GEOGRAPHY.map(([column, reference]) => parts(reference, column)).join(' AND ');
  const counts = z.object({ referrals: sqlInteger, processed: sqlInteger, atPublication: sqlInteger, unknown: sqlInteger });
  const [stats] = await db.rows(
    counts,
    `SELECT count(*) AS referrals, count(*) FILTER (WHERE ${all((_, c) => `${derived(c)} IS NOT NULL`)}) AS processed, ` +
      `count(*) FILTER (WHERE NOT (${all((_, c) => `${derived(c)} IS NOT NULL`)}) AND ${all((ref, c) => `coalesce(${derived(c)}, ${lookup(ref)}) IS NOT NULL`)}) AS atPublication, ` +
      `count(*) FILTER (WHERE NOT (${all((ref, c) => `coalesce(${derived(c)}, ${lookup(ref)}) IS NOT NULL`)})) AS unknown ` +
      `FROM (SELECT * FROM ${referrals} WHERE ${useFilter}) r${join}`,
  );
  const n = (k: keyof z.output<typeof counts>) => stats![k];
  return { relation, resolution: { referrals: n('referrals'), processed: n('processed'), atPublication: n('atPublication'), unknown: n('unknown'), reference: Boolean(referenceDir) } };
}

/** [key, value] pairs of two columns of a reference file; none when the file is absent. */
async function referencePairs(db: Db, referenceDir: string, file: string, key: string, value: string): Promise<[string, string][]> {
  const path = join(referenceDir, file);
  if (!existsSync(path)) return [];
  const rows = await db.rows(keyValue, `SELECT ${key} AS key, ${value} AS value FROM read_csv(${lit(path)}, header = true, all_varchar = true)`);
  return rows.map((r) => [r.key, r.value]);
}

/** Code → name of every region, ICB, sub-ICB and provider; empty without reference data. */
export async function organisationNames(db: Db, referenceDir: string | undefined): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (!referenceDir) return names;
  const files: [string, string, string][] = [
    ['regions.csv', 'region_code', 'region_name'],
    ['icbs.csv', 'icb_code', 'icb_name'],
    ['sub_icbs.csv', 'sub_icb_code', 'sub_icb_name'],
    ['providers.csv', 'org_code', 'org_name'],
  ];
  for (const [file, code, name] of files) for (const [c, n] of await referencePairs(db, referenceDir, file, code, name)) names.set(c, n);
  return names;
}

/**
 * Sub-ICB code → its ICB's code, from the period's referrals (`m_pathway`, whose OrgIDICBComm is resolved by
 * withCommissionerGeography): UNKNOWN_GEOGRAPHY where none of its referrals has one.
 */
export async function icbsOfSubIcbs(db: Db): Promise<Map<string, string>> {
  const rows = await db.rows(
    keyValue,
    `SELECT OrgIDComm AS key, coalesce(max(OrgIDICBComm) FILTER (WHERE OrgIDICBComm <> ${lit(UNKNOWN_GEOGRAPHY)}), ${lit(UNKNOWN_GEOGRAPHY)}) AS value FROM m_pathway WHERE OrgIDComm IS NOT NULL GROUP BY 1`,
  );
  return new Map(rows.map((r) => [r.key, r.value]));
}
