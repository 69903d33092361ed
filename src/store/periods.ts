// A period's processed national tables, replaced atomically and written by one process at a time.
//
//   processed/<P>            symbolic link to the current version (what every reader opens: processed/<P>/...)
//   processed/.<P>.v<n>      complete versions; the current one and the one before it are kept
//   processed/.<P>.lock      the writer lock (pid, host, start time; stale when its process is dead)
//   processed/.<P>.<pid>.tmp the set being built by process <pid>; .<pid>.spill its DuckDB spill space
//
// A run builds the new set in its .tmp folder, makes it owner-only and durable, renames it to the next version and
// then switches the link by renaming a new link over it: one atomic rename, so a reader sees the old complete set
// or the new one, never none or a mix. A kill at any moment leaves the old link (or, between the version rename and
// the switch, an unlinked newer version that the next run removes). Only the platform's own names are cleaned up.
import { existsSync, lstatSync, readdirSync, readlinkSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { mkdirPrivate, makePrivate } from '../core/files.js';
import { acquireLock } from './lock.js';
import { fsyncDir, fsyncTree, ownerAlive } from './owned.js';

export interface PeriodRun {
  /** Folder to build the new set in. */
  work: string;
  /** DuckDB spill folder. */
  spill: string;
  /** Makes the finished work folder the period's current set; returns processed/<P>. */
  publish(): string;
  /** Removes this run's leftovers and releases the lock (call in finally). */
  end(): void;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function versionsOf(root: string, period: string): number[] {
  const re = new RegExp(`^\\.${escape(period)}\\.v(\\d+)$`);
  return readdirSync(root)
    .map((e) => re.exec(e)?.[1])
    .filter((v): v is string => v !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

function currentVersion(root: string, period: string): number | null {
  try {
    const m = /^\.(?:.+)\.v(\d+)$/.exec(readlinkSync(join(root, period)));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

function pointTo(root: string, period: string, version: number): void {
  const link = join(root, period);
  const fresh = join(root, `.${period}.link-${process.pid}`);
  rmSync(fresh, { force: true });
  symlinkSync(`.${period}.v${version}`, fresh, 'dir');
  renameSync(fresh, link);
  fsyncDir(root);
}

/** Under the lock: leftovers of dead runs, a folder from before versions, a link lost between steps. */
function recover(root: string, period: string): void {
  const p = escape(period);
  const leftover = new RegExp(`^\\.${p}\\.(?:(\\d+)\\.(?:tmp|spill)|link-(\\d+)|tmp|spill)$`);
  for (const entry of readdirSync(root)) {
    const m = leftover.exec(entry);
    if (!m) continue;
    const pid = m[1] ?? m[2];
    if (pid !== undefined && Number(pid) !== process.pid && ownerAlive({ pid: Number(pid) })) continue;
    rmSync(join(root, entry), { recursive: true, force: true });
  }
  const link = join(root, period);
  let stat: ReturnType<typeof lstatSync> | null = null;
  try {
    stat = lstatSync(link);
  } catch {
    stat = null;
  }
  if (stat && stat.isDirectory()) {
    // Processed before versions existed: the folder becomes the first version.
    const next = (versionsOf(root, period).pop() ?? 0) + 1;
    renameSync(link, join(root, `.${period}.v${next}`));
    pointTo(root, period, next);
  } else if (!stat || currentVersion(root, period) === null || !existsSync(link)) {
    const latest = versionsOf(root, period).pop();
    if (latest !== undefined) pointTo(root, period, latest);
  }
}

/** Keeps the current version and the one before it (a reader may still be on it); removes the others. */
function prune(root: string, period: string): void {
  const current = currentVersion(root, period);
  if (current === null) return;
  const older = versionsOf(root, period).filter((v) => v < current);
  const keep = new Set([current, older[older.length - 1]]);
  for (const v of versionsOf(root, period)) if (!keep.has(v)) rmSync(join(root, `.${period}.v${v}`), { recursive: true, force: true });
}

export async function beginPeriod(dataDir: string, period: string, options: { waitMs?: number } = {}): Promise<PeriodRun> {
  const root = join(dataDir, 'processed');
  mkdirPrivate(root);
  const lock = await acquireLock(join(root, `.${period}.lock`), { waitMs: options.waitMs ?? 0, what: `period ${period} of ${dataDir}` });
  try {
    recover(root, period);
    prune(root, period);
  } catch (error) {
    lock.release();
    throw error;
  }
  const work = join(root, `.${period}.${process.pid}.tmp`);
  const spill = join(root, `.${period}.${process.pid}.spill`);
  mkdirPrivate(work);
  mkdirPrivate(spill);
  return {
    work,
    spill,
    publish: () => {
      makePrivate(work);
      fsyncTree(work);
      const next = Math.max(0, ...versionsOf(root, period), currentVersion(root, period) ?? 0) + 1;
      renameSync(work, join(root, `.${period}.v${next}`));
      fsyncDir(root);
      pointTo(root, period, next);
      prune(root, period);
      return join(root, period);
    },
    end: () => {
      try {
        rmSync(work, { recursive: true, force: true });
        rmSync(spill, { recursive: true, force: true });
      } finally {
        lock.release();
      }
    },
  };
}
