// Applying the opt-out in an extract: the register's Person_IDs in a temporary table `opted_out`, a filter for the
// extract's queries, and the manifest's record of what was done.
import type { Db } from '../../core/db.js';
import { IaptError } from '../../core/errors.js';
import { literal } from '../../core/sql.js';
import type { OptOutRecord } from '../../core/release/manifest.js';
import { notAppliedByPolicy, OPT_OUT_POLICY, type Audience } from '../../core/release/optOutPolicy.js';
import { latestOptOutRegister, type OptOutRegister } from './register.js';

export type OptOutDecision = { apply: true; register: OptOutRegister } | { apply: false; reason: string };

/**
 * Whether an extract for `audience` applies the opt-out: the policy's default, unless `exemption` (the reason and
 * legal basis recorded by configuration or agreement, where the policy allows one) says otherwise. Applying it
 * needs a register: without one the extract is refused, since it could not honour anyone's choice.
 */
export function decideOptOut(dataDir: string, audience: Audience, exemption: string | null = null): OptOutDecision {
  const policy = OPT_OUT_POLICY[audience];
  if (!policy.applies) return { apply: false, reason: notAppliedByPolicy(audience).reason };
  if (exemption !== null) {
    if (policy.exemption === 'none') throw new IaptError('usage', `the national data opt-out cannot be set aside for ${audience} extracts`);
    return { apply: false, reason: `exempt: ${exemption}` };
  }
  const register = latestOptOutRegister(dataDir);
  if (!register) {
    throw new IaptError(
      'input',
      `${audience} extracts apply the national data opt-out, but ${dataDir} has no opt-out register: import one first (iapt optout import FILE.csv --data ${dataDir})`,
    );
  }
  return { apply: true, register };
}

/** Loads the people to leave out into the temporary table `opted_out` (empty when the opt-out is not applied). */
export async function installOptOut(db: Db, decision: OptOutDecision): Promise<void> {
  await db.run(
    decision.apply
      ? `CREATE OR REPLACE TEMP TABLE opted_out AS SELECT DISTINCT Person_ID FROM read_parquet(${literal(decision.register.file)})`
      : 'CREATE OR REPLACE TEMP TABLE opted_out (Person_ID VARCHAR)',
  );
}

/** SQL: the person (a Person_ID expression) has not opted out, or the opt-out is not applied. */
export const notOptedOut = (personId: string): string => `NOT EXISTS (SELECT 1 FROM opted_out WHERE opted_out.Person_ID = ${personId})`;

/** SQL: the number of people of the register among a query's Person_ID column `personId`. */
export const optedOutAmong = (query: string, personId: string): string => `SELECT count(DISTINCT q.${personId}) FROM (${query}) q WHERE NOT ${notOptedOut(`q.${personId}`)}`;

/** The manifest's record of the decision. */
export function optOutRecord(decision: OptOutDecision, peopleRemoved: number): OptOutRecord {
  return decision.apply
    ? { applied: true, registerVersion: decision.register.version, registerImportedAt: decision.register.importedAt, peopleRemoved }
    : { applied: false, reason: decision.reason };
}
