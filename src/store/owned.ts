// What the platform may delete: only what it created and marked as its own. Temporary folders carry a marker
// file beside them (`<name>.iapt-temporary`, holding pid, host and start time), written before the folder and
// removed after it, so a clean-up interrupted half way is finished by the next one and nothing unmarked is
// ever removed. Also: liveness of a process on this host, and fsync of a finished tree.
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { mkdirPrivate, writePrivateFile } from '../core/files.js';

export const TEMPORARY_MARKER = '.iapt-temporary';

export interface Owner {
  pid: number;
  host: string;
  started: string;
}

export const me = (): Owner => ({ pid: process.pid, host: hostname(), started: new Date().toISOString() });

/** True unless the owner is a process of this host that no longer runs (another host's process is assumed alive). */
export function ownerAlive(owner: Partial<Owner> | null): boolean {
  if (!owner || typeof owner.pid !== 'number') return false;
  if (owner.host !== undefined && owner.host !== hostname()) return true;
  if (owner.pid === process.pid) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readOwner(path: string): Owner | null {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as Owner;
    return typeof value.pid === 'number' ? value : null;
  } catch {
    return null;
  }
}

/** Creates `parent/name` as a private folder of the platform's own, marked as temporary (marker first). */
export function makeTemporary(parent: string, name: string): string {
  mkdirPrivate(parent);
  writePrivateFile(join(parent, `${name}${TEMPORARY_MARKER}`), JSON.stringify(me()));
  const dir = join(parent, name);
  mkdirPrivate(dir);
  return dir;
}

/** Removes a temporary folder made by makeTemporary (folder first, then its marker). */
export function removeTemporary(parent: string, name: string): void {
  rmSync(join(parent, name), { recursive: true, force: true });
  rmSync(join(parent, `${name}${TEMPORARY_MARKER}`), { force: true });
}

/** Marks an existing folder as temporary, e.g. to take it over for deletion. */
export function markTemporary(parent: string, name: string): void {
  writePrivateFile(join(parent, `${name}${TEMPORARY_MARKER}`), JSON.stringify(me()));
}

/**
 * Removes the marked temporary folders in `parent` whose owner `isStale` says are leftovers (by default: the
 * owning process is no longer alive). Unmarked entries are never touched. Returns the names removed.
 */
export function sweepTemporaries(parent: string, isStale: (owner: Owner | null, name: string) => boolean = (o) => !ownerAlive(o)): string[] {
  if (!existsSync(parent)) return [];
  const removed: string[] = [];
  for (const entry of readdirSync(parent)) {
    if (!entry.endsWith(TEMPORARY_MARKER)) continue;
    const name = entry.slice(0, -TEMPORARY_MARKER.length);
    if (!name || !isStale(readOwner(join(parent, entry)), name)) continue;
    removeTemporary(parent, name);
    removed.push(name);
  }
  return removed;
}

export function fsyncTree(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) fsyncTree(path);
    else if (entry.isFile()) {
      const fd = openSync(path, 'r');
      fsyncSync(fd);
      closeSync(fd);
    }
  }
  fsyncDir(dir);
}

export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } catch {
    // Some file systems (and Windows) refuse fsync on a folder; the rename is still atomic.
  } finally {
    closeSync(fd);
  }
}
