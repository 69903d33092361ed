// The CLI boundary: every failure leaves as one of these, with a stable exit code.
export const EXIT = {
  ok: 0,
  /** The command ran and its verdict is negative (e.g. a submission rejected, a release check failed). */
  negative: 1,
  usage: 2,
  /** Bad input: a file that cannot be read, an argument out of range. */
  input: 3,
  internal: 70,
} as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.input,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT.usage);
    this.name = 'UsageError';
  }
}
