// The outcome thresholds section of `iapt measures`: every measure's caseness and reliable-change values from
// the one outcome table (src/dataset/outcomes.ts), which are unconfirmed, and which ADSMs judge outcomes.
import { hasUnconfirmedThreshold, OUTCOME_MEASURES, usableForOutcomes, type OutcomeMeasure } from '../dataset/index.js';

const value = (v: string | null, status: string): string => (v === null ? 'unknown' : status === 'verified' ? v : `${v} (${status})`);

/** How the measure is used in the outcome flags. */
export function outcomeUse(m: OutcomeMeasure): string {
  if (m.role === 'pps') return 'persistent physical symptoms measure (PPSM) only';
  if (m.role !== 'adsm') return 'judges outcomes';
  return usableForOutcomes(m) ? `judges outcomes for ${m.problemDescriptors.join(', ')}` : `not used: ${m.problemDescriptors.join(', ')} referrals are judged on GAD-7`;
}

export const outcomeThresholdsJson = () =>
  OUTCOME_MEASURES.map((m) => ({ ...m, judgesOutcomes: m.role !== 'pps' && (m.role !== 'adsm' || usableForOutcomes(m)), unconfirmed: hasUnconfirmedThreshold(m) }));

export function outcomeThresholdsText(): string {
  const lines = OUTCOME_MEASURES.map(
    (m) =>
      `${m.key.padEnd(17)} caseness ${value(m.caseness ? `${m.caseness.op} ${m.caseness.value}` : null, m.casenessStatus).padEnd(24)} reliable change ${value(m.reliableChange === null ? null : String(m.reliableChange), m.reliableChangeStatus).padEnd(20)} ${outcomeUse(m)}`,
  );
  const unconfirmed = OUTCOME_MEASURES.filter(hasUnconfirmedThreshold).map((m) => m.key);
  return (
    `\nOutcome thresholds (src/dataset/outcomes.ts; docs/derivations.md):\n${lines.map((l) => `  ${l}\n`).join('')}` +
    `Unconfirmed thresholds (recalled, not from a published source; confirm before release): ${unconfirmed.join(', ')}.\n`
  );
}
