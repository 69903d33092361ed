// Commissioner access agreements on record. NHS Digital: "Commissioner access is subject to approval"; a
// commissioner's extract is served only while an approval for its code is on record (not revoked, not expired).
// One set of SQL for DuckDB and PostgreSQL; the table is made on first use.
import { z } from 'zod';
import { IaptError } from '../core/errors.js';
import type { Catalog } from './catalog.js';

/** Made on first use, inside a transaction: on PostgreSQL, processes creating it at once would otherwise collide. */
const ensureTable = (catalog: Catalog) => catalog.transaction(() => catalog.exec(SCHEMA));

const SCHEMA = `CREATE TABLE IF NOT EXISTS commissioner_approvals (
  commissioner VARCHAR(5) NOT NULL,
  reference VARCHAR(200) NOT NULL,
  approved_by VARCHAR(200) NOT NULL,
  approved_at TIMESTAMP NOT NULL,
  expires_on DATE NOT NULL,
  revoked_at TIMESTAMP,
  PRIMARY KEY (commissioner, reference)
)`;

const approvalRow = z.object({
  commissioner: z.string(),
  reference: z.string(),
  approved_by: z.string(),
  approved_at: z.coerce.string(),
  expires_on: z.coerce.string(),
  revoked_at: z.coerce.string().nullable(),
});
export type Approval = z.infer<typeof approvalRow>;

const code = (commissioner: string): string => {
  const c = commissioner.trim().toUpperCase();
  if (!/^[A-Z0-9]{3,5}$/.test(c)) throw new IaptError('usage', `"${commissioner}" is not a commissioner code (3 to 5 letters or digits)`);
  return c;
};

export async function recordApproval(catalog: Catalog, a: { commissioner: string; reference: string; approvedBy: string; expiresOn: string; at?: string }): Promise<void> {
  await ensureTable(catalog);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(a.expiresOn)) throw new IaptError('usage', `expiresOn: "${a.expiresOn}" is not a date (YYYY-MM-DD)`);
  await catalog.exec('INSERT INTO commissioner_approvals (commissioner, reference, approved_by, approved_at, expires_on, revoked_at) VALUES ($1, $2, $3, CAST($4 AS TIMESTAMP), CAST($5 AS DATE), NULL)', [
    code(a.commissioner),
    a.reference,
    a.approvedBy,
    (a.at ?? new Date().toISOString()).slice(0, 19).replace('T', ' '),
    a.expiresOn,
  ]);
}

export async function listApprovals(catalog: Catalog): Promise<Approval[]> {
  await ensureTable(catalog);
  return catalog.rows(approvalRow, 'SELECT commissioner, reference, approved_by, approved_at, expires_on, revoked_at FROM commissioner_approvals ORDER BY commissioner, approved_at');
}

/** The approval in force for a commissioner on a day (YYYY-MM-DD), or null. */
export async function approvalInForce(catalog: Catalog, commissioner: string, day: string): Promise<Approval | null> {
  await ensureTable(catalog);
  const rows = await catalog.rows(
    approvalRow,
    'SELECT commissioner, reference, approved_by, approved_at, expires_on, revoked_at FROM commissioner_approvals WHERE commissioner = $1 AND revoked_at IS NULL AND expires_on >= CAST($2 AS DATE) ORDER BY expires_on DESC',
    [code(commissioner), day],
  );
  return rows[0] ?? null;
}
