// A one-page HTML summary of the headline national figures of a publication.
import { escapeHtml } from '../../core/html.js';

export interface Headline {
  id: string;
  label: string;
  /** Formatted England value per period label ('—' when undefined). */
  values: Record<string, string>;
}

/** The headline measures (catalogue ids) and how the summary names them. */
export const HEADLINE_MEASURES: readonly [string, string][] = [
  ['M001', 'Referrals received'],
  ['M031', 'Entered treatment (first treatment appointment)'],
  ['M076', 'Finished a course of treatment'],
  ['M192', 'Recovery rate (%)'],
  ['M195', 'Reliable recovery rate (%)'],
  ['M186', 'Reliable improvement rate (%)'],
  ['M1010', 'Reliable deterioration rate (%)'],
  ['M053', 'Finished treatment within 6 weeks of referral (%)'],
  ['M055', 'Finished treatment within 18 weeks of referral (%)'],
];

const STYLE = `body { font-family: Arial, "Helvetica Neue", Helvetica, sans-serif; color: #212b32; max-width: 56rem; margin: 0 auto; padding: 1.5rem; line-height: 1.5; }
h1 { font-size: 1.75rem; margin: 0 0 0.5rem; } table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
th, td { border-bottom: 1px solid #d8dde0; padding: 0.5rem; text-align: left; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
.note { color: #4c6272; font-size: 0.9rem; }`;

export function summaryHtml(title: string, periods: readonly string[], headline: readonly Headline[], notes: readonly string[]): string {
  const head = periods.map((p) => `<th scope="col">${escapeHtml(p)}</th>`).join('');
  const rows = headline.map((h) => `<tr><th scope="row">${escapeHtml(h.label)} <span class="note">${h.id}</span></th>${periods.map((p) => `<td class="n">${escapeHtml(h.values[p] ?? '—')}</td>`).join('')}</tr>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><h1>${escapeHtml(title)}</h1>
<p>Headline figures for England (all providers, unrounded).</p>
<table><thead><tr><th scope="col">Measure</th>${head}</tr></thead><tbody>
${rows}
</tbody></table>
${notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join('\n')}
</body></html>
`;
}
