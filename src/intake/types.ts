import { IaptError } from '../core/errors.js';
import type { TableName } from '../dataset/index.js';
import type { Version } from './columns.js';

/** A problem found while reading the files, before any rule runs. */
export interface IntakeFinding {
  code: string;
  table: TableName | 'File';
  /** 1-based data row, when the problem is on a row. */
  row: number | null;
  field: string | null;
  value: string | null;
}

export type SubmissionForm = 'csv-zip' | 'csv-folder' | 'access';

export interface StagedSubmission {
  file: string;
  sha256: string;
  form: SubmissionForm;
  version: Version;
  /** Rows staged per table (staging table `stg_<TableName>`). */
  rows: Map<TableName, number>;
  /**
   * Data rows received per table file: counted from the file itself (CSV: records after the header, by an
   * RFC 4180 scan of the bytes; Access: the table's row count), so rows that could not be parsed still count.
   */
  received: Map<TableName, number>;
  findings: IntakeFinding[];
  /**
   * False when tables or columns are missing (IDSREJ001) or a table file cannot be read completely (IDSFMT07):
   * the file is rejected and the rules are not run.
   */
  structureOk: boolean;
}

/** Unreadable input: the file does not exist or is not a submission in an accepted form. */
export class IntakeError extends IaptError {
  constructor(message: string) {
    super('input', message);
    this.name = 'IntakeError';
  }
}

export const stagingTable = (table: TableName): string => `stg_${table}`;
