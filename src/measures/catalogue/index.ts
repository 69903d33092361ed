// The measure catalogue: every implemented NHS Talking Therapies measure as a declarative definition
// (definition.ts), ids and names exactly as NHS England publishes them (metadata_measures_monthly).
import type { Gap, MeasureDefinition, ReferralItems } from '../definition.js';
import { ACTIVITY, ACTIVITY_GAPS } from './activity.js';
import { APPOINTMENTS, APPOINTMENTS_GAPS, INTERNET_MINUTES_ITEMS } from './appointments.js';
import { EMPLOYMENT, EMPLOYMENT_CONTACT_ITEMS, EMPLOYMENT_GAPS, EMPLOYMENT_RECORD_ITEMS, INTERNET_LOG_ITEMS } from './employment.js';
import { LTC, LTC_GAPS } from './ltc.js';
import { OUTCOMES, OUTCOMES_GAPS } from './outcomes.js';
import { SESSIONS, SESSIONS_GAPS } from './sessions.js';
import { STAGE_ITEMS, STEPS, STEPS_GAPS } from './steps.js';
import { WAITS, WAITS_GAPS } from './waits.js';
import { WSAS, WSAS_GAPS } from './wsas.js';

export const MEASURES: readonly MeasureDefinition[] = [...ACTIVITY, ...WAITS, ...APPOINTMENTS, ...SESSIONS, ...OUTCOMES, ...WSAS, ...STEPS, ...LTC, ...EMPLOYMENT].sort(
  (a, b) => order(a.id) - order(b.id),
);

/** Items derived once per referral that measures use as columns (definition.ts). */
export const REFERRAL_ITEMS: readonly ReferralItems[] = [STAGE_ITEMS, INTERNET_MINUTES_ITEMS, EMPLOYMENT_RECORD_ITEMS, EMPLOYMENT_CONTACT_ITEMS, INTERNET_LOG_ITEMS];

/** `text` names the column `column` (as a whole word). */
const mentions = (text: string, column: string): boolean => new RegExp(`\\b${column}\\b`).test(text);

/** Whether `definitions` (measures, breakdowns or referral items) read a contact's `Activities` (its IDS202 codes). */
export const usesActivities = (definitions: readonly unknown[]): boolean => mentions(JSON.stringify(definitions), 'Activities');

/** The referral items (of `items`) some of `definitions` (measures or breakdowns) use, by column name. */
export const itemsUsedBy = (definitions: readonly unknown[], items: readonly ReferralItems[] = REFERRAL_ITEMS): ReferralItems[] => {
  const uses = (text: string, i: ReferralItems) => Object.keys(i.columns).some((c) => mentions(text, c)) || text.includes(`m_items_${i.name}`);
  const text = JSON.stringify(definitions);
  const used = items.filter((i) => uses(text, i));
  // with the items those read, in order
  return items.filter((i) => used.includes(i) || used.some((u) => uses(u.sql, i)));
};

/** NHS measures not implemented, each with its reason. */
export const GAPS: readonly Gap[] = [...ACTIVITY_GAPS, ...WAITS_GAPS, ...APPOINTMENTS_GAPS, ...SESSIONS_GAPS, ...OUTCOMES_GAPS, ...WSAS_GAPS, ...STEPS_GAPS, ...LTC_GAPS, ...EMPLOYMENT_GAPS];

function order(id: string): number {
  // Core and LTC measures (M…) by number, then the employment adviser measures (EA…).
  return (id.startsWith('M') ? 0 : 1e6) + Number(/\d+/.exec(id)![0]);
}

export const measureById = (id: string): MeasureDefinition | undefined => MEASURES.find((m) => m.id === id);

/** The definitions with every measure their percentages and totals refer to (computed, not necessarily published). */
export function withDependencies(definitions: readonly MeasureDefinition[]): MeasureDefinition[] {
  const out = new Map(definitions.map((m) => [m.id, m]));
  const visit = (m: MeasureDefinition) => {
    if (m.statistic !== 'percentage' && m.statistic !== 'total') return;
    for (const t of m.statistic === 'total' ? m.terms : [...m.numerator, ...m.denominator]) {
      if (typeof t !== 'string') continue;
      const id = t.replace(/^-/, '');
      if (out.has(id)) continue;
      const dependency = measureById(id);
      if (!dependency) throw new Error(`${m.id} refers to ${id}, which is not in the catalogue`);
      out.set(id, dependency);
      visit(dependency);
    }
  };
  definitions.forEach(visit);
  return [...out.values()];
}
