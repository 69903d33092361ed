// The files of a research release: DIR/releases/<id>/ holds the agreement as registered (agreement.json) and the
// extract (files/, with its manifest.json). The digest that reviews approve is over the files as they are now (name
// and sha256 of each, read from disk), so a file changed after review no longer carries those reviews.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sha256OfFile } from '../core/release/manifest.js';

export const RELEASES_FOLDER = 'releases';

export const releaseFolder = (dataDir: string, id: number): string => join(dataDir, RELEASES_FOLDER, String(id));
export const releaseFilesFolder = (dataDir: string, id: number): string => join(releaseFolder(dataDir, id), 'files');

/** The release's files as they are on disk (manifest.json included), with their sha256. */
export function releaseFiles(dataDir: string, id: number): { name: string; sha256: string }[] {
  const folder = releaseFilesFolder(dataDir, id);
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .sort()
    .map((name) => ({ name, sha256: sha256OfFile(join(folder, name)) }));
}

/** The digest of the files now; null when there are none. */
export function filesDigest(dataDir: string, id: number): string | null {
  const files = releaseFiles(dataDir, id);
  if (files.length === 0) return null;
  return createHash('sha256').update(files.map((f) => `${f.name}\t${f.sha256}\n`).join('')).digest('hex');
}
