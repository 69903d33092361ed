// The ethnic groups of the ETHNIC CATEGORY code list: a category whose meaning names a group ("White - British")
// belongs to that group (White); the Not stated and Not known codes belong to none. Read by the measures that
// group ethnicity: the variables V002 and V005, the annual Ethnic Group and BME Group rows, and the
// reliable recovery rates by ethnic group (M206–M210).
import { CODE_LISTS } from './codeLists.js';

export interface EthnicGroup {
  /** As in the code list: White, Mixed, Asian or Asian British, Black or Black British, Other Ethnic Groups. */
  name: string;
  /** Its categories in code-list order: the code and the meaning after the group ("British"). */
  categories: readonly { code: string; name: string }[];
}

const SEPARATOR = ' - ';

function groupsOf(list: string): EthnicGroup[] {
  const groups = new Map<string, { code: string; name: string }[]>();
  for (const v of CODE_LISTS.find((c) => c.id === list)!.values) {
    const at = (v.meaning ?? '').indexOf(SEPARATOR);
    if (at < 0) continue;
    const group = v.meaning!.slice(0, at);
    groups.set(group, [...(groups.get(group) ?? []), { code: v.code, name: v.meaning!.slice(at + SEPARATOR.length) }]);
  }
  return [...groups].map(([name, categories]) => ({ name, categories }));
}

export const ETHNIC_GROUPS: readonly EthnicGroup[] = groupsOf('EthnicCategory');

/** Every code of a category in a group (not the Not stated and Not known codes), in code-list order. */
export const ETHNIC_GROUP_CODES: readonly string[] = ETHNIC_GROUPS.flatMap((g) => g.categories.map((c) => c.code));

export function ethnicGroup(name: string): EthnicGroup {
  const found = ETHNIC_GROUPS.find((g) => g.name === name);
  if (!found) throw new Error(`no ethnic group ${name} in the EthnicCategory code list`);
  return found;
}

/** White - British: the one category outside BME (V002 BME Group). */
export const WHITE_BRITISH: string = (() => {
  const found = ethnicGroup('White').categories.find((c) => c.name === 'British');
  if (!found) throw new Error('no White - British category in the EthnicCategory code list');
  return found.code;
})();
