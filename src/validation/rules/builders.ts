// Short constructors that keep the rule catalogue readable as a table.
import type { TableName } from '../../dataset/index.js';
import type { Bound, Check, DatasetVersion, FileCondition, Requirement, Rule, Severity } from '../types.js';
import { FINDING_SCHEME } from '../../dataset/validationCodes.js';
import { acceptedCodes } from './spec.js';

export const blank = (): Check => ({ kind: 'blank' });
export const format = (override?: 'version' | 'timestamp' | 'yearMonthLoose' | 'icd10OrSnomed'): Check => (override ? { kind: 'format', format: override } : { kind: 'format' });
export const codeList = (list?: string | Partial<Record<DatasetVersion, string>>): Check => (list ? { kind: 'codeList', list } : { kind: 'codeList' });
export const after = (bound: Bound, offset: { days?: number; years?: number } = {}): Check => ({ kind: 'dateWindow', op: '>', bound, ...(offset.days ? { offsetDays: offset.days } : {}), ...(offset.years ? { offsetYears: offset.years } : {}) });
export const before = (bound: Bound): Check => ({ kind: 'dateWindow', op: '<', bound });
export const beforeItem = (other: string): Check => ({ kind: 'comparison', op: '<', other });
export const unique = (key: readonly string[], options: { nullsEqual?: boolean; onlyWhereBlank?: string; where?: string } = {}): Check => ({ kind: 'uniqueness', key, ...options });
/** A child row needs a valid parent row with the same key; `order`: its place in the referential cascade. */
export const parent = (table: TableName, key: string, { order }: { order: number }): Check => ({ kind: 'referential', parent: table, key, order });
/** A parent row needs a valid child row with the same key; `order`: its place in the referential cascade. */
export const needsChild = (child: TableName, key: string, { order }: { order: number }): Check => ({ kind: 'parentWithoutChild', child, key, order });
export const reference = (lookup: 'organisation' | 'gpPractice' | 'site' | 'postcode'): Check => ({ kind: 'reference', lookup });
export const sql = (expression: string, ancestors?: readonly string[]): Check => (ancestors ? { kind: 'custom', sql: expression, ancestors } : { kind: 'custom', sql: expression });
/** A file-level rule found by intake. */
export const file = (): Check => ({ kind: 'file' });
const fileRule = (fails: FileCondition): Check => ({ kind: 'file', fails });
/** File-level: the rule's table is empty. */
export const emptyTable = (): Check => fileRule({ kind: 'empty' });
/** File-level: any row of the rule's table where `where` holds. */
export const anyRow = (where: string): Check => fileRule({ kind: 'rows', where });
/** File-level: any two rows of the rule's table with the same field. */
export const duplicated = (): Check => fileRule({ kind: 'duplicated' });
/** File-level: the rows a query of `_row, value` returns. */
export const fileQuery = (sql: string): Check => fileRule({ kind: 'query', sql });
export const formula = (): Check => ({ kind: 'formula' });
export const placeholder = (): Check => ({ kind: 'placeholder' });

interface Extra {
  versions?: readonly DatasetVersion[];
  requires?: readonly Requirement[];
}

/**
 * The codes a code-list rule accepts, rendered for its message from the spec when the rule is built: sorted as
 * the NHS messages list them, comma-separated; where they differ between the versions the rule runs on, one list
 * per version ("01, 03 in a v2.0 file; 01, 09 in a v2.1 file"). `keep` lists only some of them.
 */
export type Codes = (keep?: (code: string) => boolean) => string;

/** A rule's message: the wording itself, or for a code-list rule the wording around its codes. */
export type Message = string | ((codes: Codes) => string);

/** The NHS code-list message, "Populated and not one of: <codes>.", then any wording that is not the list. */
export const notOneOf =
  (extra?: string) =>
  (codes: Codes): string =>
    `Populated and not one of: ${codes()}.${extra ? ` ${extra}` : ''}`;

/** The message of the ICD-10 / SNOMED CT shape rules (`format('icd10OrSnomed')`) on a coded item and its declared scheme. */
export const schemeShape = (item: string, scheme: string): string =>
  `\`${item}\` does not have the format expected for the declared \`${scheme}\` (${FINDING_SCHEME.icd10} ICD-10, ${FINDING_SCHEME.snomedCt} SNOMED CT).`;

const ALL_VERSIONS: readonly DatasetVersion[] = ['2.0', '2.1'];

function codesOf(rule: Rule): Codes {
  return (keep = () => true) => {
    const lists = (rule.versions ?? ALL_VERSIONS).map((version) => ({ version, codes: acceptedCodes(rule, version).filter(keep).sort().join(', ') }));
    if (new Set(lists.map((l) => l.codes)).size === 1) return lists[0]!.codes;
    return lists.map((l) => `${l.codes} in a v${l.version} file`).join('; ');
  };
}

function rule(origin: 'nhs' | 'ours') {
  return (code: string, severity: Severity, table: TableName | 'File', fields: readonly string[], check: Check, message: Message, extra: Extra = {}): Rule => {
    const built: Rule = { code, severity, table, fields, check, message: typeof message === 'string' ? message : '', origin, ...extra };
    if (typeof message === 'function') {
      if (check.kind !== 'codeList') throw new Error(`${code}: only a code-list rule has its codes rendered into the message`);
      built.message = message(codesOf(built));
    }
    return built;
  };
}

export const nhs = rule('nhs');
export const ours = rule('ours');
