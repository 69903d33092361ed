// Keyed pseudonyms computed inside DuckDB: HMAC-SHA256 = H((K⊕opad) ‖ H((K⊕ipad) ‖ m)). The key's pads
// are bound as parameters into a temporary table, so the key is never part of any SQL text.
//
// Person_ID (the NHS "class prefix" idea: a digit = traced to an NHS number):
//   '1' ‖ HMAC("nhs:" ‖ NHS number)                                   when the NHS number passes Modulus 11
//   'U' ‖ HMAC("local:" ‖ provider ‖ "|" ‖ LocalPatientId ‖ "|" ‖ birth date)  otherwise (not traced)
//   ('A'/'B' would be identifiers assigned by a tracing service; none exists here.)
// PathwayID: 'P' ‖ HMAC("pathway:" ‖ provider ‖ "|" ‖ Person_ID ‖ "|" ‖ ServiceRequestId)
// Each keeps 31 hex digits of the HMAC (124 bits).
import { blobValue } from '@duckdb/node-api';
import type { Db } from '../core/db.js';
import { ident } from '../core/sql.js';

/**
 * Installs an HMAC-SHA256 key as the temporary macro `macro(m)` (hex digest of the text m), its pads held in the
 * temporary table `table`. Several keys live side by side under different names (the national key as hmac_hex,
 * an agreement's key for research extracts).
 */
export async function installHmacKey(db: Db, key: Buffer, names: { table: string; macro: string }): Promise<void> {
  const block = Buffer.alloc(64);
  (key.length > 64 ? Buffer.from(await crypto.subtle.digest('SHA-256', key)) : key).copy(block);
  const pad = (b: number) => Buffer.from(block.map((x) => x ^ b));
  await db.run(`CREATE OR REPLACE TEMP TABLE ${ident(names.table)} (ipad BLOB, opad BLOB)`);
  await db.run(`INSERT INTO ${ident(names.table)} VALUES ($ipad, $opad)`, { ipad: blobValue(pad(0x36)), opad: blobValue(pad(0x5c)) });
  await db.run(`CREATE OR REPLACE TEMP MACRO ${ident(names.macro)}(m) AS (SELECT sha256(k.opad || unhex(sha256(k.ipad || encode(m)))) FROM ${ident(names.table)} k)`);
}

export async function installPseudonymKey(db: Db, key: Buffer): Promise<void> {
  await installHmacKey(db, key, { table: 'pseudo_key', macro: 'hmac_hex' });
}

/** SQL for the Person_ID of a person traced to a valid NHS number (the national data opt-out register uses it too). */
export const tracedPersonIdSql = (nhsNumber: string): string => `'1' || left(hmac_hex('nhs:' || ${nhsNumber}), 31)`;

/** SQL for Person_ID from the IDS001 items and the provider. */
export const personIdSql = (provider: string, nhsNumber: string, localPatientId: string, birthDate: string): string =>
  `CASE WHEN filled(${nhsNumber}) AND nhs_number_valid(trim(${nhsNumber})) THEN ${tracedPersonIdSql(`trim(${nhsNumber})`)} ` +
  `ELSE 'U' || left(hmac_hex('local:' || ${provider} || '|' || coalesce(${localPatientId}, '') || '|' || coalesce(${birthDate}, '')), 31) END`;

/** SQL for PathwayID. */
export const pathwayIdSql = (provider: string, personId: string, serviceRequestId: string): string =>
  `'P' || left(hmac_hex('pathway:' || ${provider} || '|' || ${personId} || '|' || coalesce(${serviceRequestId}, '')), 31)`;
