// Command-line values checked once, before any work starts: a wrong one is a usage error naming the option.
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { periodBounds } from '../dataset/index.js';
import { usageError } from '../core/errors.js';

/** A reporting period, YYYY-MM. */
export function periodArgument(flag: string, value: string): string {
  try {
    periodBounds(value);
  } catch {
    throw usageError(`${flag}: "${value}" is not a reporting period (YYYY-MM)`);
  }
  return value;
}

const RECEIVED = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** An upload time: YYYY-MM-DD, optionally THH:MM[:SS], a real calendar date and time; returned as YYYY-MM-DDTHH:MM:SS. */
export function receivedArgument(value: string): string {
  const m = RECEIVED.exec(value.trim());
  const bad = () => usageError(`--received: "${value}" is not a date-time (YYYY-MM-DDTHH:MM:SS, e.g. 2024-05-20T12:00:00)`);
  if (!m) throw bad();
  const [year, month, day, hour, minute, second] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) throw bad();
  return date.toISOString().slice(0, 19);
}

function parentMustExist(flag: string, path: string): void {
  const parent = dirname(resolve(path));
  if (!existsSync(parent)) throw usageError(`${flag}: the folder ${dirname(path)} does not exist`);
  if (!statSync(parent).isDirectory()) throw usageError(`${flag}: ${dirname(path)} is not a folder`);
}

/** A folder the command writes into: it may exist (as a folder); its parent must. */
export function outputFolderArgument(flag: string, path: string): string {
  if (existsSync(path)) {
    if (!statSync(path).isDirectory()) throw usageError(`${flag}: ${path} is a file, not a folder`);
    return path;
  }
  parentMustExist(flag, path);
  return path;
}

/** A file the command creates: its folder must exist, and an existing file is replaced only when asked to. */
export function outputFileArgument(flag: string, path: string, replace: boolean): string {
  if (existsSync(path)) {
    if (statSync(path).isDirectory()) throw usageError(`${flag}: ${path} is a folder, not a file`);
    if (!replace) throw usageError(`${flag}: ${path} already exists; choose another name or add --force to replace it`);
    return path;
  }
  parentMustExist(flag, path);
  return path;
}
