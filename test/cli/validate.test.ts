// `iapt validate` and `iapt rules` through the CLI entry point: outputs, exit codes, not-run reporting.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readManifest, sha256OfFile } from '../../src/core/release/manifest.js';
import { run } from '../helpers/cli.js';
import { baseTables, writeReference, writeSubmission } from '../validation/fixture.js';

const root = mkdtempSync(join(tmpdir(), 'iapt-cli-validate-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const clean = writeSubmission(join(root, 'clean'), baseTables());

describe('iapt validate', () => {
  it('accepts a clean submission: exit 0, with report.json, findings.csv and report.html', async () => {
    const out = join(root, 'r1');
    const { code, out: text } = await run('validate', clean, '--period', '2024-05', '--provider', 'RA1', '--received', '2024-06-10T12:00:00', '--reference', writeReference(join(root, 'ref')), '--out', out);
    expect(code).toBe(0);
    expect(text).toMatch(/^ACCEPTED/);
    for (const f of ['report.json', 'findings.csv', 'report.html']) expect(existsSync(join(out, f))).toBe(true);
    // Findings quote submitted values: the report is its owner's only (issue 13).
    for (const f of ['report.json', 'findings.csv', 'report.html']) expect(statSync(join(out, f)).mode & 0o777, f).toBe(0o600);
    expect(statSync(out).mode & 0o777).toBe(0o700);
    expect(readFileSync(join(out, 'findings.csv'), 'utf8')).toBe('code,severity,table,row,field,key,value\n');
  });

  it('reports the reference, provider and period rules as not run when their inputs are missing', async () => {
    const out = join(root, 'r2');
    const { code } = await run('validate', clean, '--out', out);
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    const notRun = new Map<string, string>(report.notRun.map((n: { code: string; reason: string }) => [n.code, n.reason]));
    expect(notRun.get('IDS00206')).toMatch(/--reference/);
    expect(notRun.get('IDS00125')).toMatch(/--reference/);
    expect(notRun.get('IDS00030')).toMatch(/--provider/);
    expect(notRun.get('IDS00016')).toMatch(/--period/);
    expect(report.findings.some((f: { code: string }) => f.code === 'IDS00206')).toBe(false);
  });

  it('exits 1 when the file is rejected, naming the file-level finding', async () => {
    const tables = baseTables();
    tables.IDS001MPI[0]!.NHSNumber = '9434765918';
    const { code, out } = await run('validate', writeSubmission(join(root, 'bad'), tables), '--period', '2024-05', '--out', join(root, 'r3'));
    expect(code).toBe(1);
    expect(out).toMatch(/^REJECTED/);
    expect(out).toContain('IDSREJ006');
    // The report is a release to the provider, with its manifest: identifiable (findings quote submitted values).
    const manifest = readManifest(join(root, 'r3', 'manifest.json'));
    expect(manifest).toMatchObject({ kind: 'validation-report', audience: 'provider', sensitivity: 'identifiable', scope: { period: '2024-05' }, optOut: { applied: false } });
    const findings = manifest.files.find((f) => f.name === 'findings.csv')!;
    expect(findings.rows).toBe(readFileSync(join(root, 'r3', 'findings.csv'), 'utf8').trim().split('\n').length - 1);
    for (const f of manifest.files) expect(sha256OfFile(join(root, 'r3', f.name)), f.name).toBe(f.sha256);
  });

  it('exits 3 for unreadable input and 2 for bad arguments, with a one-line reason', async () => {
    const missing = await run('validate', join(root, 'nothing.zip'), '--out', join(root, 'r4'));
    expect(missing.code).toBe(3);
    expect(missing.err.trim().split('\n')).toHaveLength(1);
    expect(missing.err).toContain('does not exist');
    const period = await run('validate', clean, '--period', '2024-13', '--out', join(root, 'r5'));
    expect(period.code).toBe(2);
    expect(period.err).toContain('--period');
  });
});

describe('iapt rules', () => {
  it('--json lists every rule with exactly code, severity, table, fields, kind, message', async () => {
    const { code, out } = await run('rules', '--json');
    expect(code).toBe(0);
    const rules = JSON.parse(out) as Record<string, unknown>[];
    expect(rules.length).toBeGreaterThanOrEqual(382);
    for (const r of rules) expect(Object.keys(r)).toEqual(['code', 'severity', 'table', 'fields', 'kind', 'message']);
    expect(rules.find((r) => r.code === 'IDS10104')).toEqual({ code: 'IDS10104', severity: 'reject_record', table: 'IDS101Referral', fields: ['ServiceRequestId'], kind: 'blank', message: 'Blank (null, empty or only spaces).' });
  });
});
