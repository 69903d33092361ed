// Keys made for one Data Sharing Agreement. The agreement's secret is HMAC-SHA256(national key,
// "iapt-agreement-key:v1:" ‖ agreement id): the same agreement gets the same keys in every refresh of its extract,
// and two agreements get keys that cannot be joined to each other, nor to the national Person_ID and PathwayID
// (which need the national key to recompute). Inside DuckDB the secret is installed as the macro agreement_hmac.
import { createHmac } from 'node:crypto';
import type { Db } from '../core/db.js';
import { literal } from '../core/sql.js';
import { installHmacKey } from '../linkage/pseudonyms.js';

/** The linkage keys of a research extract, named as in the UK LLC's IAPT tables (suffix _e: encrypted). */
export const COHORT_KEY = 'cohortkey_e';
export const PATHWAY_KEY = 'PathwayID_e';

export function agreementSecret(nationalKey: Buffer, agreementId: string): Buffer {
  return createHmac('sha256', nationalKey).update(`iapt-agreement-key:v1:${agreementId}`).digest();
}

export async function installAgreementKey(db: Db, nationalKey: Buffer, agreementId: string): Promise<void> {
  await installHmacKey(db, agreementSecret(nationalKey, agreementId), { table: 'agreement_key', macro: 'agreement_hmac' });
}

const keyed = (prefix: string, label: string, expr: string, digits: number) =>
  `CASE WHEN ${expr} IS NULL THEN NULL ELSE ${literal(prefix)} || left(agreement_hmac(${literal(`${label}:`)} || ${expr}), ${digits}) END`;

/** SQL: the agreement's cohort key of a person (from the national Person_ID). */
export const cohortKeySql = (personId: string): string => keyed('C', 'cohort', personId, 31);
/** SQL: the agreement's key of a pathway (from the national PathwayID). */
export const pathwayKeySql = (pathwayId: string): string => keyed('K', 'pathway', pathwayId, 31);
/** SQL: the agreement's key of another record (a contact, a member of staff), so that its rows can be joined within the extract. */
export const recordKeySql = (kind: string, id: string): string => keyed('R', kind, id, 31);
/**
 * SQL: an organisation or area code encrypted for the agreement: 'E' and 15 hex digits, so it never equals a clear
 * code (ODS and ONS codes are 3 to 9 characters) and the same code gives the same value throughout the extract.
 */
export const encryptedCodeSql = (code: string): string => keyed('E', 'code', code, 15);
