// One test per rule code (tables split over three files so they run in parallel).
import { afterAll, describe, it } from 'vitest';
import { RULES } from '../../src/validation/rules/index.js';
import { checkRule, cleanup } from './ruleRunner.js';

const PART = 'a';
const part = (table: string): string => (table === 'File' || table < 'IDS101' ? 'a' : table < 'IDS600' ? 'b' : 'c');
afterAll(cleanup);

describe.concurrent('rules', () => {
  for (const rule of RULES.filter((r) => part(r.table) === PART)) {
    it(`${rule.code} ${rule.severity} ${rule.table}.${rule.fields.join('+')}`, () => checkRule(rule));
  }
});
