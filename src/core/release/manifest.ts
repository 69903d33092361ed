// The manifest written beside every file the platform releases (extracts, publications): who it is for, how
// sensitive it is, what it came from, whether the national data opt-out was applied (and the register's version,
// or why not), the agreement it was made under, and the rows and sha256 of each file. A reader checks a file
// against its manifest with `iapt check-extract`.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { IaptError } from '../errors.js';
import { writePrivateFile } from '../files.js';

export const AUDIENCES = ['provider', 'commissioner', 'researcher', 'public'] as const;
export const SENSITIVITIES = ['identifiable', 'pseudonymised', 'aggregate'] as const;
export const RELEASE_KINDS = ['provider-final', 'provider-pre-deadline', 'commissioner', 'research', 'publication', 'validation-report'] as const;

const submissionRef = z.object({ id: z.number().int(), provider: z.string(), period: z.string(), fileType: z.string() });

const optOutApplied = z.object({
  applied: z.literal(true),
  /** The register's version (iapt optout status) and when it was imported. */
  registerVersion: z.number().int().positive(),
  registerImportedAt: z.string(),
  /** People of the register found in the data and left out, and the rows that went with them. */
  peopleRemoved: z.number().int().nonnegative(),
});
const optOutNotApplied = z.object({ applied: z.literal(false), reason: z.string().min(1) });

/** How the people of a file are keyed: the national Person_ID, or a key made for one agreement (research). */
const personKey = z.object({ column: z.string(), scheme: z.enum(['Person_ID', 'agreement']) });

export const manifestSchema = z.object({
  manifestVersion: z.literal(1),
  kind: z.enum(RELEASE_KINDS),
  audience: z.enum(AUDIENCES),
  sensitivity: z.enum(SENSITIVITIES),
  createdAt: z.string(),
  /** The release's subject: e.g. { provider: 'RHV' }, { commissioner: '00L' }, { agreement: 'DARS-NIC-123456' }. */
  scope: z.record(z.string(), z.string()),
  source: z.object({
    periods: z.array(z.string()),
    submissions: z.array(submissionRef),
    /** The processed set the release was read from: its period and version folder (e.g. .2024-09.v3). */
    processingRun: z.object({ period: z.string(), version: z.string() }).nullable(),
  }),
  optOut: z.discriminatedUnion('applied', [optOutApplied, optOutNotApplied]),
  agreement: z.object({ id: z.string(), recipient: z.string(), purpose: z.string() }).nullable(),
  personKey: personKey.nullable(),
  files: z.array(z.object({ name: z.string(), rows: z.number().int().nonnegative(), bytes: z.number().int().nonnegative(), sha256: z.string() })),
});

export type ReleaseManifest = z.infer<typeof manifestSchema>;
export type OptOutRecord = ReleaseManifest['optOut'];
export type FileEntry = ReleaseManifest['files'][number];
export type SubmissionRef = z.infer<typeof submissionRef>;

/** Where the manifest of a file is (`FILE.manifest.json`), or of a folder of files (`DIR/manifest.json`). */
export function manifestPathOf(path: string): string {
  return existsSync(path) && statSync(path).isDirectory() ? join(path, 'manifest.json') : `${path}.manifest.json`;
}

export function sha256OfFile(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** The manifest's entry for a written file (named relative to the manifest's folder). */
export function fileEntry(path: string, rows: number): FileEntry {
  return { name: basename(path), rows, bytes: statSync(path).size, sha256: sha256OfFile(path) };
}

/** Writes a manifest (owner-only, like the files it describes), checked against the schema first. */
export function writeManifest(path: string, manifest: Omit<ReleaseManifest, 'manifestVersion' | 'createdAt'> & { createdAt?: string }): ReleaseManifest {
  const full = manifestSchema.parse({ manifestVersion: 1, createdAt: new Date().toISOString(), ...manifest });
  writePrivateFile(path, JSON.stringify(full, null, 2) + '\n');
  return full;
}

/** Reads and checks a manifest; a missing or malformed one is bad input naming the file. */
export function readManifest(path: string): ReleaseManifest {
  if (!existsSync(path)) throw new IaptError('input', `${path}: no manifest (every extract is written with one beside it)`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new IaptError('input', `${path}: not JSON (${(error as Error).message})`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) throw new IaptError('input', `${path}: not a release manifest: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** The files a manifest lists, as paths beside it. */
export const manifestFiles = (manifestPath: string, manifest: ReleaseManifest): string[] => manifest.files.map((f) => join(dirname(manifestPath), f.name));
