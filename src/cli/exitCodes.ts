// The one place where an error's kind becomes the process exit code (the README's table).
import type { ErrorKind } from '../core/errors.js';

export const EXIT_CODES: Readonly<Record<ErrorKind | 'ok', number>> = {
  ok: 0,
  /** The command ran and its verdict is negative (a submission rejected, a release check failed). */
  negative: 1,
  usage: 2,
  /** Bad input: a file that cannot be read, a data directory without what the command needs, a full disk. */
  input: 3,
  /** Another iapt process holds the data directory or the period (EX_TEMPFAIL): try again when it has finished. */
  busy: 75,
  /** Not allowed (EX_NOPERM): no valid credentials, or a role that may not do this (the service's kinds). */
  unauthenticated: 77,
  forbidden: 77,
  /** Asked for something that does not exist: bad input, as for a missing file. */
  notFound: 3,
  internal: 70,
};
