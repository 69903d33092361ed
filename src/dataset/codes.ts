// Naming a single code of a spec code list, checked when the naming module loads: by its meaning (`codeOf`), by
// the code itself (`specCode`, for codes a rule cites by number), or a table of codes (`inCodeList`). A code that
// leaves its list then fails at once, instead of leaving a rule, derivation or measure that can never match.
import { CODE_LISTS } from './codeLists.js';
import type { CodeList } from './types.js';

function codeListOf(id: string): CodeList {
  const found = CODE_LISTS.find((c) => c.id === id);
  if (!found) throw new Error(`Code list ${id} is not in the spec`);
  return found;
}

/** The code whose meaning in code list `list` is exactly `meaning` (e.g. `codeOf('YesNo', 'Yes')` is Y). */
export function codeOf(list: string, meaning: string): string {
  const found = codeListOf(list).values.filter((v) => v.meaning === meaning);
  if (found.length !== 1) throw new Error(`${list} has ${found.length === 0 ? 'no code' : 'several codes'} meaning "${meaning}"`);
  return found[0]!.code;
}

/** `code`, after checking that it is a code of code list `list`. */
export function specCode(list: string, code: string): string {
  if (!codeListOf(list).values.some((v) => v.code === code)) throw new Error(`${code} is not a code of the ${list} code list`);
  return code;
}

/** `table` after checking that each of its codes is in code list `list`. */
export function inCodeList<T extends Readonly<Record<string, string | readonly string[]>>>(list: string, table: T): T {
  const known = new Set(codeListOf(list).values.map((v) => v.code));
  const unknown = Object.values(table)
    .flat()
    .filter((code) => !known.has(code));
  if (unknown.length > 0) throw new Error(`${list} has no code ${unknown.join(', ')}`);
  return table;
}
