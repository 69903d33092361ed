// CSV output as NHS England publishes it: comma-separated, LF line ends; the monthly and annual files quote only
// where a field needs it, the quarterly files quote every field. Every field is first neutralised against
// formula injection (src/core/formula.ts): text a spreadsheet would run as a formula gets a single quote before
// it; numbers, suppression markers and ordinary names are unchanged.
import { neutraliseCell } from '../../core/formula.js';

export const csvField = (f: string): string => {
  const text = neutraliseCell(f);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};
export const csvLine = (fields: readonly string[]): string => `${fields.map(csvField).join(',')}\n`;
export const csvQuotedLine = (fields: readonly string[]): string => `${fields.map((f) => `"${neutraliseCell(f).replace(/"/g, '""')}"`).join(',')}\n`;
