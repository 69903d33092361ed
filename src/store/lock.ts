// An exclusive lock file: created with O_EXCL ("wx"), holding the owner's pid, host and start time. A lock whose
// owner is a dead process of this host is stale and is taken over; a live one makes the caller wait up to
// `waitMs` and then fail as busy. Breaking a stale lock is itself guarded (a second O_EXCL file), so two
// waiters cannot both break it and one remove the other's fresh lock.
import { closeSync, fsyncSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { PRIVATE_FILE_MODE } from '../core/files.js';
import { StoreError } from './catalog.js';
import { me, ownerAlive, readOwner, type Owner } from './owned.js';

export interface Lock {
  path: string;
  release(): void;
}

function tryCreate(path: string, owner: Owner): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', PRIVATE_FILE_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, JSON.stringify(owner));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return true;
}

const ageMs = (path: string): number => {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
};

/** Removes the lock at `path` if it is (still) stale; true when it was removed or is gone. */
function breakIfStale(path: string): boolean {
  const guard = `${path}.break`;
  if (!tryCreate(guard, me())) {
    // Another waiter is breaking it; a guard left by a killed waiter is itself stale after a few seconds.
    if (ageMs(guard) > 5_000) rmSync(guard, { force: true });
    return false;
  }
  try {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      return true;
    }
    const owner = readOwner(path);
    // A lock file still being written (empty) is only stale when old.
    const stale = owner ? !ownerAlive(owner) : text.length === 0 ? ageMs(path) > 5_000 : true;
    if (stale) rmSync(path, { force: true });
    return stale;
  } finally {
    rmSync(guard, { force: true });
  }
}

export async function acquireLock(path: string, options: { waitMs?: number; what: string }): Promise<Lock> {
  const owner = me();
  const giveUp = Date.now() + (options.waitMs ?? 0);
  for (;;) {
    if (tryCreate(path, owner)) {
      return {
        path,
        release: () => {
          const now = readOwner(path);
          if (now && now.pid === owner.pid && now.started === owner.started) rmSync(path, { force: true });
        },
      };
    }
    if (breakIfStale(path)) continue;
    if (Date.now() >= giveUp) {
      const holder = readOwner(path);
      const by = holder ? ` by process ${holder.pid} on ${holder.host} since ${holder.started}` : '';
      throw new StoreError(`busy: ${options.what} is in use${by} (lock ${path}); try again when it has finished`, 'busy');
    }
    await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 150));
  }
}
