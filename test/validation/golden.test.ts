// Golden files: report.json and findings.csv for a fixed synthetic submission with injected defects.
// After an intended change, regenerate with UPDATE_GOLDEN=1 npx vitest run test/validation/golden.test.ts
// and review the diff.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generate } from '../../src/synth/generate.js';
import { validateSubmission } from '../../src/validation/index.js';
import type { Defect } from '../../src/synth/defects.js';

const GOLDEN = new URL('../golden/validation/', import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), 'iapt-golden-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function golden(name: string, actual: string): void {
  const path = join(GOLDEN, name);
  // A missing golden file is created on purpose only: never under CI, where it must already be committed.
  if (process.env.UPDATE_GOLDEN || (!existsSync(path) && !process.env.CI)) writeFileSync(path, actual);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

describe('validation golden files', () => {
  const out = join(root, 'synth');
  const result = generate({ providers: 1, months: '2024-06..2024-06', seed: 'golden', out, scale: 'small', refresh: false, defects: 0.03 });
  const file = result.files[0]!;

  it('report.json and findings.csv match the committed golden files', async () => {
    const reportDir = join(root, 'report');
    const { report } = await validateSubmission(join(out, file.path), { period: '2024-06', provider: file.provider, received: '2024-07-10T09:00:00', referenceDir: join(out, 'reference'), outDir: reportDir });
    expect(report.findings.length).toBeGreaterThan(5);
    golden('report.json', readFileSync(join(reportDir, 'report.json'), 'utf8').replace(JSON.stringify(join(out, file.path)), '"SUBMISSION"'));
    golden('findings.csv', readFileSync(join(reportDir, 'findings.csv'), 'utf8'));
  });

  it('finds every injected defect on its row with its code', async () => {
    const { report } = await validateSubmission(join(out, file.path), { period: '2024-06', provider: file.provider, received: '2024-07-10T09:00:00', referenceDir: join(out, 'reference'), exampleLimit: 100_000 });
    for (const d of result.defects as Defect[]) {
      const finding = report.findings.find((f) => f.code === d.code && (d.severity === 'reject_file' || f.table === d.table));
      expect(finding, `${d.code} (${d.defect}) not found`).toBeDefined();
      if (d.severity !== 'reject_file') expect(finding!.examples.map((e) => e.row), `${d.code} row ${d.row}`).toContain(d.row);
    }
  });
});
