// report.json — a contract (issue 3): keep these keys and their meaning stable.
import type { Severity } from '../types.js';

export interface ReportExample {
  /** 1-based data row in the CSV (header excluded) or Access table; null for findings about a whole file or table. */
  row: number | null;
  /** The row's key (its unique-key items joined with " | "), '' when there is no row. */
  key: string;
  value: string | null;
}

export interface ReportFinding {
  code: string;
  severity: Severity;
  /** IDB table name, or "File" for the submission as a whole. */
  table: string;
  field: string | null;
  /** Every row failing the rule (never capped). */
  count: number;
  message: string;
  /** At most `exampleLimit` examples, lowest rows first. */
  examples: ReportExample[];
}

export interface ReportTable {
  table: string;
  received: number;
  accepted: number;
  rejected: number;
}

export interface ReportDataQuality {
  table: string;
  field: string;
  valid: number;
  default: number;
  invalid: number;
  missing: number;
  denominator: number;
}

export interface ReportNotRun {
  code: string;
  table: string;
  fields: readonly string[];
  reason: string;
}

export interface ValidationReport {
  dataset: { name: 'IAPT'; version: '2.1' };
  submission: {
    file: string;
    sha256: string;
    provider: string | null;
    reportingPeriodStart: string | null;
    reportingPeriodEnd: string | null;
    received: string;
  };
  outcome: 'accepted' | 'rejected';
  tables: ReportTable[];
  findings: ReportFinding[];
  dataQuality: ReportDataQuality[];
  /** Examples per finding are capped at this number; counts are not. */
  exampleLimit: number;
  /** Rules that could not run (no reference data, no --provider or --period …), never silently passed. */
  notRun: ReportNotRun[];
  /** The version the file declared (2.0 files are uplifted to 2.1). */
  submittedVersion: '2.0' | '2.1';
}
