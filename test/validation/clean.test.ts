import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RULES } from '../../src/validation/rules/index.js';
import { ruleCatalogue } from '../../src/cli/commands/rules.js';
import { validateSubmission } from '../../src/validation/index.js';
import { caseFor } from './cases.js';
import { asV20, baseTables, PERIOD, PROVIDER, RECEIVED, writeReference, writeSubmission } from './fixture.js';

const root = mkdtempSync(join(tmpdir(), 'iapt-clean-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the rule fixture', () => {
  it('is a clean submission: accepted with no finding at all', async () => {
    const { report } = await validateSubmission(writeSubmission(join(root, 'v21'), baseTables()), { period: PERIOD, provider: PROVIDER, received: RECEIVED, referenceDir: writeReference(join(root, 'ref')) });
    expect(report.findings).toEqual([]);
    expect(report.outcome).toBe('accepted');
    expect(report.notRun).toEqual([]);
  });

  it('in its v2.0 form is accepted and uplifted, with only the IDS00005 warning', async () => {
    const { report } = await validateSubmission(writeSubmission(join(root, 'v20'), asV20(baseTables())), { period: PERIOD, provider: PROVIDER, received: RECEIVED, referenceDir: join(root, 'ref') });
    expect(report.findings.map((f) => f.code)).toEqual(['IDS00005']);
    expect(report.submittedVersion).toBe('2.0');
    expect(report.outcome).toBe('accepted');
  });
});

describe('the rule catalogue', () => {
  it('has a test case for every rule `iapt rules --json` lists, and each case changes the clean submission', () => {
    const listed = ruleCatalogue().map((r) => r.code);
    expect(new Set(listed).size).toBe(listed.length);
    expect([...listed].sort()).toEqual(RULES.map((r) => r.code).sort());
    const unchanged = RULES.filter((rule) => {
      const c = caseFor(rule);
      const tables = baseTables();
      c.mutate(tables);
      // A case that leaves the fixture as it is (and writes it as it is, in v2.1) could never make its rule fire.
      return !c.afterWrite && c.version === '2.1' && JSON.stringify(tables) === JSON.stringify(baseTables());
    });
    expect(unchanged.map((r) => r.code)).toEqual([]);
  });

  it('lists exactly code, severity, table, fields, kind and message', () => {
    for (const r of ruleCatalogue()) expect(Object.keys(r)).toEqual(['code', 'severity', 'table', 'fields', 'kind', 'message']);
  });

  it('keeps the NHS counts: 382 codes, 13 file, 37 group, 247 record, 85 warning', () => {
    const nhs = RULES.filter((r) => r.origin === 'nhs');
    expect(nhs).toHaveLength(382);
    const count = (s: string) => nhs.filter((r) => r.severity === s).length;
    expect([count('reject_file'), count('reject_group'), count('reject_record'), count('warning')]).toEqual([13, 37, 247, 85]);
  });
});
