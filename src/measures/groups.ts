// Organisation group types of the published statistics, and the names of their organisations from the
// reference data (docs/reference-data.md: region → ICB → sub-ICB, providers).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../intake/duckdb.js';
import { quoteLiteral as lit } from '../intake/duckdb.js';
import type { GroupType } from './disclosure/policy.js';

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

/** [key, value] pairs of two columns of a reference file; none when the file is absent. */
async function referencePairs(db: Db, referenceDir: string, file: string, key: string, value: string): Promise<[string, string][]> {
  const path = join(referenceDir, file);
  if (!existsSync(path)) return [];
  const rows = await db.all<{ key: string; value: string }>(`SELECT ${key} AS key, ${value} AS value FROM read_csv(${lit(path)}, header = true, all_varchar = true)`);
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

/** Sub-ICB code → its ICB's code; empty without reference data. */
export async function icbsOfSubIcbs(db: Db, referenceDir: string | undefined): Promise<Map<string, string>> {
  return new Map(referenceDir ? await referencePairs(db, referenceDir, 'sub_icbs.csv', 'sub_icb_code', 'icb_code') : []);
}
