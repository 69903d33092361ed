import type { Version } from '../intake/columns.js';
import type { Requirement } from './types.js';

/** What a validation run knows besides the file: the period, the submitting organisation, the upload time. */
export interface RunContext {
  version: Version;
  /** Reporting period used by the date-window rules: --period if given, else the Header's. Null when neither is readable. */
  rpStart: string | null;
  rpEnd: string | null;
  /** Period selected at upload (--period), for IDS00016/IDS00019. */
  periodStart: string | null;
  periodEnd: string | null;
  /** Organisation of the submitting login (--provider), for IDS00030/IDS00033. */
  provider: string | null;
  /** OrgIDProv of the Header. */
  headerProvider: string | null;
  /** Upload time, ISO 8601. */
  received: string;
  hasReference: boolean;
}

/** Why a rule cannot run in this context, or null when it can. */
export function missingRequirement(requires: readonly Requirement[] | undefined, ctx: RunContext): string | null {
  for (const r of requires ?? []) {
    if (r === 'provider' && !ctx.provider) return 'no submitting organisation given (--provider)';
    if (r === 'period' && !ctx.periodStart) return 'no reporting period selected (--period)';
    if (r === 'reference' && !ctx.hasReference) return 'no reference data given (--reference DIR)';
  }
  return null;
}
