// What the rules read from the data set spec (src/dataset): the items they check, v2.0 removals included,
// and the codes a code-list check accepts in each version. The compiler (../compile.ts) checks against these
// codes and the rule builders render them into the messages, so the two cannot drift apart.
import { ASSESSMENT_TOOLS, codeList, REMOVED_IN_V21, TABLES, type ItemSpec, type TableName } from '../../dataset/index.js';
import type { Check, DatasetVersion, Rule } from '../types.js';

/** The spec of an item of a table, including v2.0 items removed in v2.1. */
export function itemSpec(table: TableName, name: string): Omit<ItemSpec, 'rules'> | undefined {
  return TABLES.find((t) => t.name === table)!.items.find((i) => i.name === name) ?? REMOVED_IN_V21.find((r) => r.table === table && r.item.name === name)?.item;
}

/**
 * The codes a code-list rule accepts in a file of `version`, in code-list order: the list the check names for
 * that version, else the code list of the rule's (first) item; `AssessmentTool` is the SNOMED CT codes of the tools.
 */
export function acceptedCodes(rule: Pick<Rule, 'code' | 'table' | 'fields' | 'check'>, version: DatasetVersion): string[] {
  const check = rule.check as Extract<Check, { kind: 'codeList' }>;
  if (check.kind !== 'codeList') throw new Error(`${rule.code}: not a code-list rule`);
  const field = rule.fields[0]!;
  const id = typeof check.list === 'string' ? check.list : check.list ? check.list[version] : itemSpec(rule.table as TableName, field)?.codeList;
  if (!id) throw new Error(`${rule.code}: no code list for ${field} in v${version}`);
  if (id === 'AssessmentTool') return ASSESSMENT_TOOLS.map((t) => t.snomed);
  return codeList(id).values.map((v) => v.code);
}
