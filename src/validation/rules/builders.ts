// Short constructors that keep the rule catalogue readable as a table.
import type { TableName } from '../../dataset/index.js';
import type { Bound, Check, DatasetVersion, Requirement, Rule, Severity } from '../types.js';

export const blank = (): Check => ({ kind: 'blank' });
export const format = (override?: 'version' | 'timestamp' | 'yearMonthLoose' | 'icd10OrSnomed'): Check => (override ? { kind: 'format', format: override } : { kind: 'format' });
export const codeList = (list?: string | Partial<Record<DatasetVersion, string>>): Check => (list ? { kind: 'codeList', list } : { kind: 'codeList' });
export const after = (bound: Bound, offset: { days?: number; years?: number } = {}): Check => ({ kind: 'dateWindow', op: '>', bound, ...(offset.days ? { offsetDays: offset.days } : {}), ...(offset.years ? { offsetYears: offset.years } : {}) });
export const before = (bound: Bound): Check => ({ kind: 'dateWindow', op: '<', bound });
export const beforeItem = (other: string): Check => ({ kind: 'comparison', op: '<', other });
export const unique = (key: readonly string[], options: { nullsEqual?: boolean; onlyWhereBlank?: string; where?: string } = {}): Check => ({ kind: 'uniqueness', key, ...options });
export const parent = (table: TableName, key: string): Check => ({ kind: 'referential', parent: table, key });
export const needsChild = (child: TableName, key: string): Check => ({ kind: 'parentWithoutChild', child, key });
export const reference = (lookup: 'organisation' | 'gpPractice' | 'site' | 'postcode'): Check => ({ kind: 'reference', lookup });
export const sql = (expression: string, ancestors?: readonly string[]): Check => (ancestors ? { kind: 'custom', sql: expression, ancestors } : { kind: 'custom', sql: expression });
export const file = (): Check => ({ kind: 'file' });
export const formula = (): Check => ({ kind: 'formula' });
export const placeholder = (): Check => ({ kind: 'placeholder' });

interface Extra {
  versions?: readonly DatasetVersion[];
  requires?: readonly Requirement[];
}

function rule(origin: 'nhs' | 'ours') {
  return (code: string, severity: Severity, table: TableName | 'File', fields: readonly string[], check: Check, message: string, extra: Extra = {}): Rule => ({
    code,
    severity,
    table,
    fields,
    check,
    message,
    origin,
    ...extra,
  });
}

export const nhs = rule('nhs');
export const ours = rule('ours');
