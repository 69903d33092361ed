// NHS derived identifiers (reference §2.3), as SQL over a staging table.
import { TABLES, type TableName } from '../dataset/index.js';
import { ident as q, literal } from '../core/sql.js';
import { stagingTable } from '../intake/types.js';

/** Months since April 1900, first = 1: 2019-04 → 1429, 2020-01 → 1438. */
export function uniqueMonthId(period: string): number {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return (y - 1900) * 12 + (m - 4) + 1;
}

/** Submission id followed by the row number zero-padded to 9 digits (678, row 54 → 678000000054). */
export const recordNumberSql = (submissionId: number, rowColumn: string): string => `(CAST(${literal(submissionId)} AS BIGINT) * 1000000000 + ${rowColumn})`;

/** Local identifiers and the provider-prefixed unique identifier the store derives from each (OrgIDProv ‖ the item). */
export const PREFIXED_IDENTIFIERS: readonly (readonly [item: string, derived: string])[] = [
  ['ServiceRequestId', 'Unique_ServiceRequestID'],
  ['CareContactId', 'Unique_CareContactID'],
  ['CareActId', 'Unique_CareActivityID'],
  ['CarePersLocalId', 'Unique_CarePersonnelID_Local'],
];

/**
 * SELECT list of the stored columns of a table: the submitted items, then UniqueSubmissionID,
 * UniqueID_IDSnnn, RecordNumber (the IDS001 row's, reached through the spec's parent keys), the
 * provider-prefixed unique ids, OrgID_Provider, Unique_MonthID and File_Type.
 */
export function storedColumnsSql(table: TableName, submissionId: number, provider: string, period: string, fileType: string): { select: string; joins: string } {
  const spec = TABLES.find((t) => t.name === table)!;
  const cols = spec.items.map((i) => `t.${q(i.name)}`);
  cols.push(`CAST(${literal(submissionId)} AS BIGINT) AS UniqueSubmissionID`);
  cols.push(`${recordNumberSql(submissionId, 't._row')} AS ${q(`UniqueID_${spec.id}`)}`);
  // RecordNumber: the MPI row's number, propagated down the key tree.
  const joins: string[] = [];
  let record = 'NULL';
  if (table === 'IDS001MPI') record = recordNumberSql(submissionId, 't._row');
  else {
    let current = spec;
    let keySource = current.parent ? `t.${q(current.parent.item)}` : null;
    let depth = 0;
    while (current.parent && keySource) {
      const parent = TABLES.find((t) => t.name === current.parent!.table)!;
      depth += 1;
      const alias = `p${depth}`;
      const next = parent.parent?.item;
      const extra = next ? `, min(${q(next)}) AS ${q(next)}` : '';
      joins.push(`LEFT JOIN (SELECT ${q(current.parent.item)} AS k, min(_row) AS _row${extra} FROM ${q(stagingTable(parent.name))} GROUP BY 1) ${alias} ON ${alias}.k = ${keySource}`);
      if (parent.name === 'IDS001MPI') {
        record = `CASE WHEN ${alias}._row IS NULL THEN NULL ELSE ${recordNumberSql(submissionId, `${alias}._row`)} END`;
        break;
      }
      keySource = next ? `${alias}.${q(next)}` : null;
      current = parent;
    }
  }
  cols.push(`${record} AS RecordNumber`);
  for (const [item, derived] of PREFIXED_IDENTIFIERS) {
    if (spec.items.some((i) => i.name === item)) cols.push(`CASE WHEN t.${q(item)} IS NULL THEN NULL ELSE ${literal(provider)} || t.${q(item)} END AS ${derived}`);
  }
  cols.push(`${literal(provider)} AS OrgID_Provider`, `CAST(${literal(uniqueMonthId(period))} AS INTEGER) AS Unique_MonthID`, `${literal(fileType)} AS File_Type`);
  return { select: cols.join(', '), joins: joins.join(' ') };
}
