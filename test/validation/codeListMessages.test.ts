// The message of every code-list rule names exactly the codes its compiled check accepts, in each data set
// version the rule runs on: a code added to a list in src/dataset/codeLists.ts cannot leave a message behind.
import { describe, expect, it } from 'vitest';
import { rowCondition } from '../../src/validation/compile.js';
import type { RunContext } from '../../src/validation/context.js';
import { RULES } from '../../src/validation/rules/index.js';
import type { DatasetVersion, Rule } from '../../src/validation/types.js';

const VERSIONS: readonly DatasetVersion[] = ['2.0', '2.1'];
const CODE_LIST_RULES = RULES.filter((r) => r.check.kind === 'codeList');

const context = (version: DatasetVersion): RunContext => ({
  version,
  rpStart: null,
  rpEnd: null,
  periodStart: null,
  periodEnd: null,
  provider: null,
  headerProvider: null,
  received: '2024-06-05T09:00:00Z',
  hasReference: false,
});

/** The codes the compiled SQL accepts: the literals of its `NOT IN (…)`. */
function accepted(rule: Rule, version: DatasetVersion): string[] {
  const sql = rowCondition(rule, context(version));
  const list = /NOT IN \((.*)\)$/.exec(sql);
  if (!list) throw new Error(`${rule.code}: no NOT IN list in ${sql}`);
  return [...list[1]!.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1]!.replace(/''/g, "'")).sort();
}

/**
 * The codes a message lists for a version: "not one of: A, B." or, where the lists differ by version,
 * "not one of: A, B in a v2.0 file; A, C in a v2.1 file."; null when the message has no such list.
 */
function listedInMessage(message: string, version: DatasetVersion): string[] | null {
  const list = /not one of: (.*?)\.(?: |$)/.exec(message);
  if (!list) return null;
  const parts = list[1]!.split('; ').map((part) => {
    const tagged = /^(.*) in a v(\d\.\d) file$/.exec(part);
    return tagged ? { version: tagged[2], codes: tagged[1]! } : { version: undefined, codes: part };
  });
  const part = parts.find((p) => p.version === version) ?? parts.find((p) => p.version === undefined);
  return part ? part.codes.split(', ').sort() : [];
}

/** Codes of the language lists that are not ISO 639-1 codes (two lower-case letters): the NHS additions. */
const notIso = (code: string): boolean => !/^[a-z]{2}$/.test(code);

/** Code-list rules whose message lists no codes, or not in the NHS "not one of:" form; each checked below. */
const OTHER_WORDING: Record<string, string> = {
  IDS00003: 'DatSetVer: the supported versions, and how 2.0 is read',
  IDS60613: 'assessment tools: the SNOMED CT codes are named by the reference section, not listed',
  IDS60710: 'assessment tools: the SNOMED CT codes are named by the reference section, not listed',
};

describe('code-list rule messages', () => {
  it('there are code-list rules to check, in both versions', () => {
    expect(CODE_LIST_RULES.length).toBeGreaterThan(40);
    expect(CODE_LIST_RULES.some((r) => r.versions?.includes('2.0') ?? true)).toBe(true);
  });

  it('list exactly the codes the check accepts, for each version the rule runs on', () => {
    const wrong: string[] = [];
    for (const rule of CODE_LIST_RULES) {
      if (rule.code in OTHER_WORDING) continue;
      for (const version of rule.versions ?? VERSIONS) {
        const codes = accepted(rule, version);
        const language = /nor one of (.*?)\.$/.exec(rule.message);
        if (language) {
          // "neither an ISO 639-1 two-letter language code nor one of q1, …": the rest of the list is two-letter codes.
          const listed = language[1]!.split(', ').sort();
          if (listed.join() !== codes.filter(notIso).join()) wrong.push(`${rule.code} v${version}: lists ${listed.join(', ')}, accepts ${codes.filter(notIso).join(', ')} besides ISO codes`);
          continue;
        }
        const listed = listedInMessage(rule.message, version);
        if (listed === null) wrong.push(`${rule.code}: no "not one of:" list in "${rule.message}"`);
        else if (listed.join() !== codes.join()) wrong.push(`${rule.code} v${version}: lists ${listed.join(', ')}; accepts ${codes.join(', ')}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('the rules with other wording are code-list rules, and DatSetVer names every supported version and no other', () => {
    for (const code of Object.keys(OTHER_WORDING)) expect(CODE_LIST_RULES.map((r) => r.code)).toContain(code);
    const datSetVer = CODE_LIST_RULES.find((r) => r.code === 'IDS00003')!;
    for (const version of VERSIONS) {
      const codes = accepted(datSetVer, version);
      const named = [...new Set(datSetVer.message.match(/\b\d\.\d\b/g))].sort();
      expect(named).toEqual(codes);
    }
    for (const code of ['IDS60613', 'IDS60710']) expect(CODE_LIST_RULES.find((r) => r.code === code)!.message).not.toMatch(/one of:/);
  });

  it('IDS20120 names the v2.1 ConsMechanism codes of the v2.1 check (01, 02, 04, 05, 09, 10, 11, 12, 13, 98), and the v2.0 ConsMediumUsed codes for v2.0 files', () => {
    const ids20120 = CODE_LIST_RULES.find((r) => r.code === 'IDS20120')!;
    expect(listedInMessage(ids20120.message, '2.1')).toEqual(['01', '02', '04', '05', '09', '10', '11', '12', '13', '98']);
    expect(accepted(ids20120, '2.1')).toEqual(['01', '02', '04', '05', '09', '10', '11', '12', '13', '98']);
    expect(listedInMessage(ids20120.message, '2.0')).toEqual(['01', '02', '03', '04', '05', '06', '08', '98']);
  });

  it('the message parser reads both forms', () => {
    expect(listedInMessage('Populated and not one of: N, Y. (v2.0 name.)', '2.1')).toEqual(['N', 'Y']);
    expect(listedInMessage('Populated and not one of: 01, 03 in a v2.0 file; 01, 09 in a v2.1 file. Extra.', '2.0')).toEqual(['01', '03']);
    expect(listedInMessage('Populated and not one of: 01, 03 in a v2.0 file; 01, 09 in a v2.1 file. Extra.', '2.1')).toEqual(['01', '09']);
    expect(listedInMessage('Populated and not a supported version.', '2.1')).toBeNull();
  });
});
