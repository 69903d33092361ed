// The one error type of the platform. Every failure a user can cause is an IaptError with a kind; the CLI maps
// kinds to exit codes (src/cli/exitCodes.ts) and the API will map them to HTTP statuses, each in one place.
// Anything else that escapes is an internal error: a defect of ours, never the user's.

export type ErrorKind =
  /** The command was called wrongly: an unknown option value, an impossible date, a bad period. */
  | 'usage'
  /** The input cannot be used: a missing or unreadable file, a corrupt catalog, a full disk. */
  | 'input'
  /** The command ran and its verdict is negative: a rejected submission, a failed release check, nothing to process. */
  | 'negative'
  /** Another process holds what this one needs (the catalog, a period being processed): try again later. */
  | 'busy'
  /** No credentials, or credentials that are not valid (an unknown or revoked token, a JWT that fails verification). */
  | 'unauthenticated'
  /** Valid credentials whose role or organisation may not do this. */
  | 'forbidden'
  /** The thing asked for does not exist (or, to a caller who may not know, is not shown to exist). */
  | 'notFound'
  /** A defect of ours, reported without blaming the user. */
  | 'internal';

export class IaptError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'IaptError';
  }
}

export const usageError = (message: string): IaptError => new IaptError('usage', message);
export const inputError = (message: string, cause?: unknown): IaptError => new IaptError('input', message, cause === undefined ? undefined : { cause });

const SYSTEM_REASONS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'is a folder, not a file',
  EEXIST: 'already exists',
  ENOTEMPTY: 'the folder is not empty',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
};

/**
 * The failure as an IaptError: itself, a file-system error (ENOSPC, EACCES, …) as bad input naming its path, a
 * DuckDB I/O error (a full disk while writing Parquet) likewise; null when it is none of these (an internal error).
 */
export function asIaptError(error: unknown): IaptError | null {
  if (error instanceof IaptError) return error;
  if (!(error instanceof Error)) return null;
  const code = (error as NodeJS.ErrnoException).code;
  if (code && code in SYSTEM_REASONS) {
    const path = (error as NodeJS.ErrnoException).path;
    return new IaptError('input', `${path ? `${path}: ` : ''}${SYSTEM_REASONS[code]} (${code})`, { cause: error });
  }
  const firstLine = error.message.split('\n')[0] ?? '';
  if (/^IO Error:/.test(firstLine) || /No space left on device|Permission denied|Read-only file system/i.test(firstLine)) return new IaptError('input', firstLine, { cause: error });
  return null;
}
