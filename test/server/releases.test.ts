// Research releases with review (OpenSAFELY Airlock style): registered agreement → release made by a job → two
// reviewers other than the requester approve the files → only then the agreement's researchers download them; a
// changed file resets the reviews; every state change is in the audit trail.
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { releaseFilesFolder } from '../../src/server/releaseFiles.js';
import { exampleAgreement, serve, type Served, stopServed } from './fixture.js';

const root = mkdtempSync(join(tmpdir(), 'iapt-releases-'));
let s: Served;
const as = (who: string) => ({ authorization: `Bearer ${s.tokens[who]}` });
const post = (url: string, who: string, body?: unknown) =>
  s.app.inject({ method: 'POST', url, headers: { ...as(who), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { payload: JSON.stringify(body) } : {}) });
const get = (url: string, who: string) => s.app.inject({ method: 'GET', url, headers: as(who) });

beforeAll(async () => {
  s = await serve(root);
}, 120_000);
afterAll(() => stopServed(s, root));

interface ReleaseView {
  status: string;
  approvals: string[];
  filesChanged: boolean;
  files: { name: string; sha256: string }[];
}

describe('a research release under review', () => {
  let id = 0;
  it('refuses an invalid agreement, listing its problems', async () => {
    const res = await post('/api/v1/agreements', 'analyst', { agreement: { ...exampleAgreement('DARS-NIC-1'), geography: 'street' }, researchers: ['researcher'] });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ detail: string }>().detail).toMatch(/geography: "street" is not one of/);
  });

  it('registers an agreement and makes its release as a job, which then awaits review', async () => {
    expect((await post('/api/v1/agreements', 'analyst', { agreement: exampleAgreement('DARS-NIC-424242'), researchers: ['researcher'] })).statusCode).toBe(201);
    const made = await post('/api/v1/agreements/DARS-NIC-424242/releases', 'analyst');
    expect(made.statusCode).toBe(202);
    id = made.json<{ release: number }>().release;
    await s.jobs.idle();
    const view = (await get(`/api/v1/releases/${id}`, 'analyst')).json<ReleaseView>();
    expect(view.status).toBe('in-review');
    // The example agreement lists three UK LLC tables; with the manifest, four files.
    expect(view.files.map((f) => f.name).sort()).toEqual(['IAPT_care_activities.parquet', 'IAPT_coded_scored_assessments.parquet', 'IAPT_demographics_and_referral.parquet', 'manifest.json']);
  });

  it('needs two approvals by reviewers other than the requester before the researcher may download', async () => {
    expect((await get(`/api/v1/releases/${id}/files/manifest.json`, 'researcher')).statusCode).toBe(403);
    const own = await post(`/api/v1/releases/${id}/reviews`, 'analyst', { decision: 'approve' });
    expect(own.statusCode).toBe(403);
    expect(own.json<{ detail: string }>().detail).toMatch(/other than its requester/);
    expect((await post(`/api/v1/releases/${id}/reviews`, 'analyst-2', { decision: 'approve' })).json<ReleaseView>()).toMatchObject({ status: 'in-review', approvals: ['analyst-2'] });
    expect((await get(`/api/v1/releases/${id}/files/manifest.json`, 'researcher')).statusCode).toBe(403);
    expect((await post(`/api/v1/releases/${id}/reviews`, 'analyst-3', { decision: 'approve' })).json<ReleaseView>()).toMatchObject({ status: 'approved' });
    const file = await get(`/api/v1/releases/${id}/files/IAPT_demographics_and_referral.parquet`, 'researcher');
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(readFileSync(join(releaseFilesFolder(s.data, id), 'IAPT_demographics_and_referral.parquet')))).toBe(true);
  });

  it("is not shown to a researcher the agreement does not name", async () => {
    expect((await get(`/api/v1/releases/${id}`, 'researcher-2')).statusCode).toBe(404);
    expect((await get(`/api/v1/releases/${id}/files/manifest.json`, 'researcher-2')).statusCode).toBe(404);
  });

  it("is listed for its agreement's researchers and analysts, and for no one else", async () => {
    const listed = (who: string) => get('/api/v1/releases', who).then((r) => r.json<{ releases: (ReleaseView & { id: number })[] }>().releases.map((x) => x.id));
    expect(await listed('researcher')).toEqual([id]);
    expect(await listed('analyst')).toEqual([id]);
    expect(await listed('researcher-2')).toEqual([]);
    expect((await get('/api/v1/releases', 'provider-A')).statusCode).toBe(403);
  });

  it('resets its reviews when a file changes, until the changed files are approved again', async () => {
    appendFileSync(join(releaseFilesFolder(s.data, id), 'manifest.json'), ' ');
    const changed = (await get(`/api/v1/releases/${id}`, 'analyst')).json<ReleaseView>();
    expect(changed).toMatchObject({ status: 'in-review', approvals: [], filesChanged: true });
    expect((await get(`/api/v1/releases/${id}/files/manifest.json`, 'researcher')).statusCode).toBe(403);
    await post(`/api/v1/releases/${id}/reviews`, 'analyst-2', { decision: 'approve' });
    expect((await post(`/api/v1/releases/${id}/reviews`, 'analyst-3', { decision: 'approve' })).json<ReleaseView>().status).toBe('approved');
    expect((await get(`/api/v1/releases/${id}/files/manifest.json`, 'researcher')).statusCode).toBe(200);
  });

  it('leaves every state change in the audit trail', async () => {
    const entries = (await get('/api/v1/audit?limit=10000', 'auditor')).json<{ entries: { actor: string; action: string; object: string; outcome: string }[] }>().entries;
    const reviews = entries.filter((e) => e.action === 'POST' && e.object.startsWith('/api/v1/releases/:id/reviews'));
    expect(reviews.map((e) => `${e.actor} ${e.outcome}`)).toEqual(['analyst 403', 'analyst-2 201', 'analyst-3 201', 'analyst-2 201', 'analyst-3 201']);
    expect(entries.some((e) => e.object.startsWith('/api/v1/agreements/:id/releases') && e.outcome === '202')).toBe(true);
  });
});
