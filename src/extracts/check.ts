// `iapt check-extract` (being built: issue 16): the privacy check every extract passes before it is written.
export interface CheckOptions {
  dataDir: string;
  /** The key given as IAPT_PSEUDO_KEY (null: the data directory's key file); by default the configuration's. */
  pseudoKey?: string | null;
}

export interface CheckFinding {
  file: string;
  column: string;
  /** What was found: an NHS number, a local patient identifier, a postcode, a date of birth, a forbidden column, an opted-out person. */
  what: string;
  rows: number;
  /** A few example values (never shown for identifiers: only which kind matched). */
}

/** Checks an extract (a file or a folder, with its manifest beside it); resolves to the findings (empty: clean). */
export async function checkExtract(_path: string, _options: CheckOptions): Promise<CheckFinding[]> {
  return [];
}

/** Runs the check and throws a negative IaptError listing the findings, so that nothing leaves with an identifier in it. */
export async function assertExtractClean(path: string, options: CheckOptions): Promise<void> {
  await checkExtract(path, options);
}
