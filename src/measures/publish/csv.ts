// CSV output as NHS England publishes it: comma-separated, LF line ends; the monthly and annual files quote only
// where a field needs it, the quarterly files quote every field.
export const csvField = (f: string): string => (/[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f);
export const csvLine = (fields: readonly string[]): string => `${fields.map(csvField).join(',')}\n`;
export const csvQuotedLine = (fields: readonly string[]): string => `${fields.map((f) => `"${f.replace(/"/g, '""')}"`).join(',')}\n`;
