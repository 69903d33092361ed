// Files that hold identifiers (stored submissions, validation reports, extracts, the key) are created for their
// owner only: folders 0700, files 0600, whatever the umask. DuckDB's COPY creates files with the process umask,
// so what it writes is made private afterwards with makePrivate.
import { chmodSync, lstatSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates a folder (and missing parents) readable by its owner only; an existing folder is made so too. */
export function mkdirPrivate(path: string): void {
  mkdirSync(path, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(path, PRIVATE_DIR_MODE);
}

/** Writes a file readable by its owner only. */
export function writePrivateFile(path: string, data: string | Uint8Array): void {
  writeFileSync(path, data, { mode: PRIVATE_FILE_MODE });
  chmodSync(path, PRIVATE_FILE_MODE);
}

/** Makes a file, or a folder and everything in it, readable by its owner only (symbolic links are left alone). */
export function makePrivate(path: string): void {
  const stat = lstatSync(path);
  if (stat.isSymbolicLink()) return;
  if (stat.isDirectory()) {
    chmodSync(path, PRIVATE_DIR_MODE);
    for (const name of readdirSync(path)) makePrivate(join(path, name));
  } else chmodSync(path, PRIVATE_FILE_MODE);
}
