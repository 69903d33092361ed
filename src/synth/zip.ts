// Deterministic zip files: fixed entry order, fixed timestamps, fixed compression level.
import { zipSync, strToU8 } from 'fflate';

// fflate writes DOS timestamps from local-time fields; building the date from local fields keeps the
// bytes the same in every time zone.
const FIXED_MTIME = new Date(2000, 0, 1, 0, 0, 0);

export function zipFiles(files: readonly (readonly [string, string])[]): Uint8Array {
  const entries: Record<string, [Uint8Array, { level: 6; mtime: Date }]> = {};
  for (const [name, content] of files) entries[name] = [strToU8(content), { level: 6, mtime: FIXED_MTIME }];
  return zipSync(entries);
}
