// The hub's inputs: published, release-checked files only. A publication folder is taken when its manifest says
// it is a publication for the public and every file it lists is there with the sha256 the manifest gives (the
// files `iapt publish` release-checked before moving them into place); anything else is refused, naming the file.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { inputError } from '../../core/errors.js';
import { readManifest, sha256OfFile } from '../../core/release/manifest.js';

/** Where the service's publication jobs write each period's publication inside a data directory. */
export const DATA_PUBLISHED_FOLDER = 'published';

export interface PublishedFile {
  path: string;
  kind: 'month' | 'quarter' | 'year';
  /** The period's label as published (2024-09, 2024-Q3, 2024-25 to 2024-09). */
  period: string;
  start: string;
  end: string;
  /** Which quarterly file: icb-subicb, provider or subicb-provider. */
  part?: string;
}

const publicationJson = z.object({
  periods: z.array(z.object({ kind: z.enum(['month', 'quarter', 'year']), label: z.string(), start: z.string(), end: z.string() })),
});

const fileName = (kind: string, label: string): RegExp => {
  const slug = label.replace(' to ', '-to-').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (kind === 'month') return new RegExp(`^iapt-monthly-${slug}\\.csv$`);
  if (kind === 'quarter') return new RegExp(`^iapt-quarterly-(icb-subicb|provider|subicb-provider)-${slug}\\.csv$`);
  return new RegExp(`^iapt-annual-main-${slug}\\.csv$`);
};

/** The statistics files of one release-checked publication folder. */
export function publicationFiles(folder: string): PublishedFile[] {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw inputError(`${folder}: no such publication folder`);
  const manifestPath = join(folder, 'manifest.json');
  if (!existsSync(manifestPath)) throw inputError(`${manifestPath}: no manifest, so ${folder} is not a release-checked publication (iapt publish writes one)`);
  const manifest = readManifest(manifestPath);
  if (manifest.kind !== 'publication' || manifest.audience !== 'public') {
    throw inputError(`${manifestPath}: a ${manifest.kind} release for the ${manifest.audience}, not a publication for the public`);
  }
  for (const f of manifest.files) {
    const path = join(folder, f.name);
    if (!existsSync(path)) throw inputError(`${path}: listed in the manifest but missing`);
    if (sha256OfFile(path) !== f.sha256) throw inputError(`${path}: its sha256 differs from the manifest's, so it is not the file that was release-checked`);
  }
  const infoPath = join(folder, 'iapt-publication.json');
  if (!manifest.files.some((f) => f.name === 'iapt-publication.json')) throw inputError(`${infoPath}: not listed in the manifest`);
  let info: z.infer<typeof publicationJson>;
  try {
    info = publicationJson.parse(JSON.parse(readFileSync(infoPath, 'utf8')));
  } catch (error) {
    throw inputError(`${infoPath}: not a publication description (${(error as Error).message.split('\n')[0]})`);
  }
  const files: PublishedFile[] = [];
  for (const period of info.periods) {
    for (const f of manifest.files) {
      const m = fileName(period.kind, period.label).exec(f.name);
      if (m) files.push({ path: join(folder, f.name), kind: period.kind, period: period.label, start: period.start, end: period.end, ...(period.kind === 'quarter' ? { part: m[1]! } : {}) });
    }
  }
  return files;
}

/** The publication folders of a data directory: DATA/published/<period>/ (none is fine). */
export function dataPublications(dataDir: string): string[] {
  if (!existsSync(dataDir) || !statSync(dataDir).isDirectory()) throw inputError(`${dataDir}: no such data directory`);
  const root = join(dataDir, DATA_PUBLISHED_FOLDER);
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((name) => !name.startsWith('.') && statSync(join(root, name)).isDirectory())
    .sort()
    .map((name) => join(root, name));
}
