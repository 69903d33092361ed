// Validation rules are data: what each NHS (or our) rule checks, compiled to set-based DuckDB SQL by
// compile.ts. Nothing here runs per row in JavaScript.
import type { TableName } from '../dataset/index.js';

export type Severity = 'reject_file' | 'reject_group' | 'reject_record' | 'warning';
export const SEVERITIES: readonly Severity[] = ['reject_file', 'reject_group', 'reject_record', 'warning'];

export type DatasetVersion = '2.0' | '2.1';

/** Where a row-level value is compared to: the reporting period, a fixed date, or the upload time. */
export type Bound = 'rpStart' | 'rpEnd' | { date: string };

export type Check =
  /** Null, empty or only spaces. */
  | { kind: 'blank' }
  /** Populated and not in the item's format (from the spec, or the override given). */
  | { kind: 'format'; format?: 'version' | 'timestamp' | 'yearMonthLoose' | 'icd10OrSnomed' }
  /** Populated and not in the code list (the item's own, or the one named per version). */
  | { kind: 'codeList'; list?: string | Partial<Record<DatasetVersion, string>> }
  /** A date item on the wrong side of a bound: fails when `field op bound (+ offset)`. */
  | { kind: 'dateWindow'; op: '<' | '>'; bound: Bound; offsetDays?: number; offsetYears?: number }
  /** Fails when `field op other`; `other` is an item of this table or of an ancestor table. */
  | { kind: 'comparison'; op: '<' | '>'; other: string }
  /** More than one row with the same key (group reject of all of them). */
  | { kind: 'uniqueness'; key: readonly string[]; nullsEqual?: boolean; onlyWhereBlank?: string; where?: string }
  /**
   * No valid parent row with the same key. `order` is the rule's place in the referential cascade: the NHS order
   * (reference §5.3), then ours for the v2.1 tables, then the parent-without-child rules.
   */
  | { kind: 'referential'; parent: TableName; key: string; order: number }
  /** No valid child row in `child` with the same key; `order` as for referential rules. */
  | { kind: 'parentWithoutChild'; child: TableName; key: string; order: number }
  /** Not known to the reference data at the reporting period start. */
  | { kind: 'reference'; lookup: 'organisation' | 'gpPractice' | 'site' | 'postcode' }
  /**
   * A boolean SQL expression over the row: columns by name, the run's context values `$rpStart`, `$rpEnd`,
   * `$periodStart`, `$periodEnd`, `$provider`, `$headerProvider`, `$received` (compile.ts `contextParams`), and
   * items of ancestor tables listed in `ancestors`.
   */
  | { kind: 'custom'; sql: string; ancestors?: readonly string[] }
  /**
   * A value a spreadsheet would run as a formula (src/core/formula.ts), in any of the rule's fields, in every
   * table that has them; checked in the row-level scan of each table.
   */
  | { kind: 'formula' }
  /**
   * Checked on the whole submission: by intake when `fails` is absent (IDSREJ001, IDSFMTnn), else by the engine
   * after the record-level rules.
   */
  | { kind: 'file'; fails?: FileCondition }
  /** The NHS rule exists but can never fail (placeholders for time items the TOS does not restrict). */
  | { kind: 'placeholder' };

export type RuleKind = Check['kind'];

/** When a file-level rule fails; each failing row (or the table, `_row` null) is a finding. */
export type FileCondition =
  /** The rule's table has no rows. */
  | { kind: 'empty' }
  /** Rows of the rule's table where `where` holds (a condition as in custom rules); their field is reported. */
  | { kind: 'rows'; where: string }
  /** Rows of the rule's table whose field, trimmed, is on another row too. */
  | { kind: 'duplicated' }
  /** A query of the failing rows (`_row`, `value`), which may read `rejected` (rows rejected by the record-level rules). */
  | { kind: 'query'; sql: string };

export interface Rule {
  code: string;
  severity: Severity;
  table: TableName | 'File';
  fields: readonly string[];
  check: Check;
  message: string;
  /** `nhs`: the NHS v2.0 rule set (Appendix A); `ours`: added for v2.1 or for intake, in the NHS pattern. */
  origin: 'nhs' | 'ours';
  /** Versions of submitted files the rule applies to (default both). */
  versions?: readonly DatasetVersion[];
  /** Context the rule needs; without it the rule is reported as not run. */
  requires?: readonly Requirement[];
}

/** `provider`: --provider (the submitting login); `period`: --period; `reference`: --reference data. */
export type Requirement = 'provider' | 'period' | 'reference';

/** The kind as `iapt rules` reports it. */
export function kindOf(rule: Rule): string {
  switch (rule.check.kind) {
    case 'parentWithoutChild':
      return 'referential';
    case 'codeList':
      return 'code list';
    case 'dateWindow':
      return 'date window';
    case 'custom':
      return 'custom SQL';
    default:
      return rule.check.kind;
  }
}
