// CSV output as NHS England publishes it: comma-separated, quoted only where a field needs it, LF line ends.
export const csvField = (f: string): string => (/[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f);
export const csvLine = (fields: readonly string[]): string => `${fields.map(csvField).join(',')}\n`;
