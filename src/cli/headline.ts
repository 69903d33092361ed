// The headline England figures of a publication as a text table: one row per figure, one column per period.
import type { PublishResult } from '../measures/publish/index.js';

export function headlineTable(result: Pick<PublishResult, 'headline' | 'periods'>, indent: string): string {
  const label = Math.max('England'.length, ...result.headline.map((h) => h.label.length)) + 2;
  const width = Math.max(12, ...result.periods.map((p) => p.length + 2), ...result.headline.flatMap((h) => result.periods.map((p) => (h.values[p] ?? '—').length + 2)));
  const line = (first: string, cells: readonly string[]) => `${indent}${first.padEnd(label)}${cells.map((c) => c.padStart(width)).join('')}\n`;
  return line('England', result.periods) + result.headline.map((h) => line(h.label, result.periods.map((p) => h.values[p] ?? '—'))).join('');
}
