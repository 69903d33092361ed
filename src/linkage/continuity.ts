// Continuity data quality (NHS DQ metadata "Pathway / Organisation code / Person identifier continuity"):
// referrals open at the end of the previous period that are missing from this period's submission, and
// referrals whose person identifier or commissioner changed between the two periods. Per provider.
import { sqlInteger, type Db } from '../core/db.js';
import { literal, listValue } from '../core/sql.js';
import type { SubmissionRow } from '../store/catalog.js';
import { uniqueMonthId } from '../store/identifiers.js';
import { z } from 'zod';

export interface ProviderContinuity {
  provider: string;
  submitted: boolean;
  openPreviousPeriod: number;
  missingThisPeriod: number;
  /** PathwayIDs (pseudonymous) of open referrals missing this period, at most 20. */
  missingExamples: string[];
  personIdChanged: number;
  commissionerChanged: number;
}

export interface Continuity {
  period: string;
  previousPeriod: string;
  providers: ProviderContinuity[];
}

const previous = (period: string): string => {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
};

export async function continuity(db: Db, period: string, counting: SubmissionRow[]): Promise<Continuity> {
  const prev = previous(period);
  const [now, before] = [uniqueMonthId(period), uniqueMonthId(prev)];
  const providers = [...new Set(counting.filter((s) => s.period === period || s.period === prev).map((s) => s.provider))].sort();
  const rows = await db.rows(
    z.object({ provider: z.string(), open_prev: sqlInteger, missing: sqlInteger, examples: z.array(z.string()), person_changed: sqlInteger, comm_changed: sqlInteger }),
    `WITH p AS (SELECT * FROM referral WHERE Unique_MonthID = ${literal(before)}), c AS (SELECT * FROM referral WHERE Unique_MonthID = ${literal(now)}) ` +
      `SELECT prov.provider, ` +
      `(SELECT count(*) FROM p WHERE p.OrgID_Provider = prov.provider AND blank(p.ServDischDate)) AS open_prev, ` +
      `(SELECT count(*) FROM p WHERE p.OrgID_Provider = prov.provider AND blank(p.ServDischDate) AND NOT EXISTS (SELECT 1 FROM c WHERE c.PathwayID = p.PathwayID)) AS missing, ` +
      `(SELECT coalesce(list(p.PathwayID ORDER BY p.PathwayID)[1:20], []) FROM p WHERE p.OrgID_Provider = prov.provider AND blank(p.ServDischDate) AND NOT EXISTS (SELECT 1 FROM c WHERE c.PathwayID = p.PathwayID)) AS examples, ` +
      `(SELECT count(*) FROM p JOIN c ON c.OrgID_Provider = p.OrgID_Provider AND c.ServiceRequestId = p.ServiceRequestId WHERE p.OrgID_Provider = prov.provider AND c.Person_ID <> p.Person_ID) AS person_changed, ` +
      `(SELECT count(*) FROM p JOIN c ON c.PathwayID = p.PathwayID WHERE p.OrgID_Provider = prov.provider AND c.OrgIDComm IS DISTINCT FROM p.OrgIDComm) AS comm_changed ` +
      `FROM (SELECT unnest(${listValue(providers.length ? providers : [''])}) AS provider) prov WHERE prov.provider <> '' ORDER BY prov.provider`,
  );
  const submitted = new Set(counting.filter((s) => s.period === period).map((s) => s.provider));
  return {
    period,
    previousPeriod: prev,
    providers: rows.map((r) => ({
      provider: r.provider,
      submitted: submitted.has(r.provider),
      openPreviousPeriod: Number(r.open_prev),
      missingThisPeriod: Number(r.missing),
      missingExamples: r.examples,
      personIdChanged: Number(r.person_changed),
      commissionerChanged: Number(r.comm_changed),
    })),
  };
}
