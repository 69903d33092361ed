// Runs one rule's case through the real validator and checks the finding.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RULES } from '../../src/validation/rules/index.js';
import { validateSubmission } from '../../src/validation/index.js';
import type { Rule } from '../../src/validation/types.js';
import { caseFor } from './cases.js';
import { asV20, baseTables, PERIOD, PROVIDER, RECEIVED, writeReference, writeSubmission } from './fixture.js';

const root = mkdtempSync(join(tmpdir(), 'iapt-rules-'));
export const reference = writeReference(join(root, 'reference'));
export function cleanup(): void {
  rmSync(root, { recursive: true, force: true });
}

export async function checkRule(rule: Rule): Promise<void> {
  const c = caseFor(rule);
  const tables = baseTables();
  c.mutate(tables);
  const dir = writeSubmission(join(root, rule.code), c.version === '2.0' ? asV20(tables) : tables);
  c.afterWrite?.(dir);
  const { report } = await validateSubmission(dir, { period: PERIOD, provider: PROVIDER, received: RECEIVED, referenceDir: reference });
  const finding = report.findings.find((f) => f.code === rule.code);
  if (c.absent) {
    expect(finding, `${rule.code} must never fire`).toBeUndefined();
    return;
  }
  expect(finding, `${rule.code} did not fire; findings: ${report.findings.map((f) => f.code).join(', ')}`).toBeDefined();
  expect(finding!.severity).toBe(rule.severity);
  // File-level rules in the catalogue name the file; their findings name the table concerned where there is one.
  if (rule.table !== 'File') expect(finding!.table).toBe(rule.table);
  if (c.rows.length > 0) expect(finding!.examples.map((e) => e.row)).toEqual(c.rows);
  expect(finding!.count).toBe(Math.max(1, c.rows.length));
}

/** Tables are split over three test files (rules-a/b/c) so that they run in parallel. */
const partOf = (table: string): 'a' | 'b' | 'c' => (table === 'File' || table < 'IDS101' ? 'a' : table < 'IDS600' ? 'b' : 'c');

/** One test per rule code of this part, named after the code. */
export function defineRuleTests(part: 'a' | 'b' | 'c'): void {
  afterAll(cleanup);
  describe.concurrent('rules', () => {
    for (const rule of RULES.filter((r) => partOf(r.table) === part)) {
      it(`${rule.code} ${rule.severity} ${rule.table}.${rule.fields.length > 6 ? `(${rule.fields.length} items)` : rule.fields.join('+')}`, () => checkRule(rule));
    }
  });
}
