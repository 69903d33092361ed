// A measure as data: what it counts (its unit and cohort) and how (its statistic). Compiled to SQL by
// compute.ts (one FILTERed aggregate per measure, over the views of sources.ts); ids, names and frequencies exactly
// as NHS England publishes them (metadata_measures_monthly). The publication's metadata file prints each measure's
// SQL fragments as its construction (publish/metadata.ts), so their text is part of what is published.
//
// SQL fragments are written over the derived national tables (docs/derivations.md) with the builders of core/sql.ts
// for values (literal, isIn, eq …) and may use:
//   $start, $end   the reporting period's first and last day (DATE)
//   d(x)           the text date item x as a DATE (submitted dates are stored as text)
//   src            the unit's row, for correlated subqueries over another unit's view (m_contact …)
import { attendedContactSql, treatmentTypeSql } from '../dataset/index.js';

export type Frequency = 'Monthly' | 'Quarterly' | 'Monthly/Quarterly';

/**
 * What one row is, and so what a count counts:
 *  - referral: a pathway of derived IDS101 (one row per PathwayID), joined to its person (IDS001MPI items
 *    Gender, Age_RP_EndDate, Validated_EthnicCategory, IndicesOfDeprivationDecile, ExBAFIndicator);
 *  - contact: an IDS201 care contact (one row per Unique_CareContactID) with its referral's columns and
 *    `Activities`, the list of its IDS202 CodeProcAndProcStatus codes;
 *  - internetLog: an IDS205 internet-enabled therapy log entry with its referral's columns;
 *  - employmentStatus: an IDS004 employment status record with the columns of a referral of its person at the
 *    provider that sent it (a record appears once per such referral: count `distinct` UniqueID_IDS004).
 * Every row belongs to a referral used for the period (UsePathway_Flag, or its quarterly/annual equivalent).
 */
export type Unit = 'referral' | 'contact' | 'internetLog' | 'employmentStatus';

/** The views referral items may read: the units', and the person's disabilities (IDS007), social and personal
 * circumstances (IDS011) and care cluster assignments (IDS803), and the referral's long-term conditions (IDS602),
 * as `m_<name>`. */
export type Source = Unit | 'disability' | 'socialCircumstance' | 'careCluster' | 'longTermCondition';

export interface Cohort {
  /** Default: referral. */
  unit?: Unit;
  /** A date that must fall in the reporting period; omit for a snapshot at the period end. */
  date?: string;
  /** Further conditions (SQL). */
  where?: string;
  /** Counts distinct values of this expression instead of rows (e.g. PathwayID over contact rows). */
  distinct?: string;
}

/** A term of a percentage: the id of another measure (prefix `-` to subtract), or a count of its own. */
export type Term = string | (Cohort & { subtract?: boolean });

interface Identity {
  id: string;
  name: string;
  frequency: Frequency;
  /** Where our definition departs from, or has to interpret, the NHS construction. */
  note?: string;
}

export type MeasureDefinition = Identity &
  (
    | ({ statistic: 'count' } & Cohort)
    | ({ statistic: 'sum' | 'mean' | 'median' | 'max' | 'min'; of: string } & Cohort)
    /** sum(of) / sum(per) over the cohort. */
    | ({ statistic: 'ratio'; of: string; per: string } & Cohort)
    /** 100 × Σ numerator / Σ denominator. */
    | { statistic: 'percentage'; numerator: readonly [Term, ...Term[]]; denominator: readonly [Term, ...Term[]] }
    /** Σ terms: counts of different units added up (M108: contacts plus internet-enabled therapy log entries). */
    | { statistic: 'total'; terms: readonly [Term, ...Term[]] }
  );

export type Statistic = MeasureDefinition['statistic'];

export const inMonthly = (m: MeasureDefinition): boolean => m.frequency !== 'Quarterly';
export const inQuarterly = (m: MeasureDefinition): boolean => m.frequency !== 'Monthly';

// Shared SQL vocabulary for the catalogue files.
export const RECEIVED = 'd(ReferralRequestReceivedDate)';
export const ENDED = 'd(ServDischDate)';
export const FIRST_TREATMENT = 'TherapySession_FirstDate';
export const SECOND_TREATMENT = 'TherapySession_SecondDate';
export const FINISHED = 'CompletedTreatment_Flag';
export const days = (from: string, to: string): string => `date_diff('day', ${from}, ${to})`;
/** Days waited from referral to first treatment. */
export const WAIT = days(RECEIVED, FIRST_TREATMENT);
/** The NHS "attended" test for a care contact (src/dataset/appointments.ts): AttendOrDNACode 5 or 6, or unplanned. */
export const attendedContact = attendedContactSql;
export const ATTENDED_CONTACT = attendedContact();
/** The contact is a treatment appointment (AppType from the data set spec); `alias` qualifies the column. */
export const treatmentAppointment = treatmentTypeSql;
export const TREATMENT_APPOINTMENT = treatmentAppointment();
/**
 * The conjunction of a measure's conditions, written flat (`a AND b`), not wrapped as core/sql `and` wraps each part:
 * the text is published as the construction. So that nothing binds wrongly, a part with an OR outside brackets is refused.
 */
export const and = (...parts: (string | undefined | false)[]): string => {
  const kept = parts.filter((p): p is string => Boolean(p));
  if (kept.length > 1) for (const p of kept) if (hasBareOr(p)) throw new Error(`a measure condition joined with AND has an OR outside brackets: ${p}`);
  return kept.join(' AND ');
};

/** Whether `sql` has an OR at bracket depth 0, outside string literals. */
function hasBareOr(sql: string): boolean {
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (c === "'") quoted = !quoted;
    else if (quoted) continue;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && /^\sOR\s/i.test(sql.slice(i, i + 4))) return true;
  }
  return false;
}
/** Finishers — a course of treatment ended in the period (M076's cohort) — meeting further conditions. */
export const finishers = (...where: (string | undefined)[]): Cohort => ({ date: ENDED, where: and(FINISHED, ...where.filter(Boolean).map((w) => `(${w})`)) });

/**
 * Items derived once per referral for the period by one set-based query over the unit views, and joined to every
 * unit's rows as columns: what would otherwise be a correlated subquery per referral in many measures (the
 * stepped-care stages, a referral's employment status records and contacts).
 */
export interface ReferralItems {
  /** Names the temporary table (`m_items_<name>`). */
  name: string;
  /** The views the query reads (besides `m_pathway`, the referral rows without items); createSources refuses the items without them. */
  needs: readonly Source[];
  /** The item columns and their DuckDB types. */
  columns: Readonly<Record<string, string>>;
  /** One row per PathwayID with the item columns; may use $start, $end and d(), `m_pathway`, the views of `needs` (not m_referral) and earlier items' tables (`m_items_<name>`). */
  sql: string;
}

/** An NHS measure deliberately not implemented, and why (listed by `iapt measures`, checked by the coverage test). */
export interface Gap {
  id: string;
  name: string;
  reason: string;
}
