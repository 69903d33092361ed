// The portal, on one served data directory (its set-up is most of the time): the routes with app.inject — signing
// in with a token gives a session cookie; each role sees its pages and the API's refusals are the pages' (provider A
// cannot see provider B's submission, report or job); a POST without the session's CSRF token is refused; signing
// out ends the session; nothing carries the bearer token — and then in real Chromium (test/helpers/browser.ts): a
// provider signs in through the form, uploads its file through the portal (the script's progress bar, then the job
// followed until it finishes) and reaches the report; every page type renders with no console error or failed
// request and no WCAG 2.2 AA violation found by axe-core; a provider cannot reach another provider's pages.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../src/store/catalog.js';
import { publishedRows } from '../../src/web/portal/figures.js';
import { axeViolations, launchChromium, watchedPage, type WatchedPage } from '../helpers/browser.js';
import { exampleAgreement, multipartFile, PERIOD, stopServed, type Served } from '../server/fixture.js';
import { csrfOf, servePortal, signIn } from './portalHelpers.js';

const root = mkdtempSync(join(tmpdir(), 'iapt-portal-'));
let s: Served;
let browser: Browser;
let base: string;
let own: number;
let other: number;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  [s, browser] = await Promise.all([servePortal(root), launchChromium()]);
  base = await s.app.listen({ port: 0, host: '127.0.0.1' });
  const catalog = await Catalog.open(s.data, { readOnly: true });
  const rows = await catalog.submissions();
  catalog.close();
  own = rows.find((r) => r.provider === s.providers[0] && r.period === PERIOD)!.id;
  other = rows.find((r) => r.provider === s.providers[1])!.id;
  for (const who of ['provider-A', 'provider-B', 'commissioner-A', 'analyst', 'auditor', 'researcher']) cookies[who] = await signIn(s.app, s.tokens[who]!);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stopServed(s, root);
});

const get = (who: string | null, url: string) => s.app.inject({ method: 'GET', url, ...(who ? { cookies: { iapt_portal_session: cookies[who]! } } : {}) });

describe('signing in', () => {
  it('sends a visitor without a session to the sign-in form, and / to the portal', async () => {
    expect((await get(null, '/')).headers.location).toBe('/portal/');
    const home = await get(null, '/portal/');
    expect(home.statusCode).toBe(303);
    expect(home.headers.location).toBe('/portal/sign-in');
    expect((await get(null, '/portal/submissions')).headers.location).toBe('/portal/sign-in');
    const form = await get(null, '/portal/sign-in');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('<label for="token">API token</label>');
  });

  it('gives an HttpOnly, SameSite=Lax session cookie holding no token', async () => {
    const form = await get(null, '/portal/sign-in');
    const pre = form.cookies.find((c) => c.name === 'iapt_portal_sign_in')!.value;
    const r = await s.app.inject({ method: 'POST', url: '/portal/sign-in', cookies: { iapt_portal_sign_in: pre }, payload: new URLSearchParams({ token: s.tokens['provider-A']!, csrf: csrfOf(form.body) }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(r.statusCode).toBe(303);
    const session = r.cookies.find((c) => c.name === 'iapt_portal_session')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/portal' });
    expect(session.value).not.toContain(s.tokens['provider-A']!.slice(5, 20));
    expect(r.headers.location).toBe('/portal/');
  });

  it('refuses an unknown token, and a sign-in form without its own CSRF cookie', async () => {
    const form = await get(null, '/portal/sign-in');
    const pre = form.cookies.find((c) => c.name === 'iapt_portal_sign_in')!.value;
    const post = (token: string, csrf: string, cookie: string) =>
      s.app.inject({ method: 'POST', url: '/portal/sign-in', cookies: { iapt_portal_sign_in: cookie }, payload: new URLSearchParams({ token, csrf }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const unknown = await post(`iapt_${'x'.repeat(43)}`, csrfOf(form.body), pre);
    expect(unknown.statusCode).toBe(401);
    expect(unknown.body).toContain('not known');
    expect((await post(s.tokens['provider-A']!, 'forged', pre)).statusCode).toBe(403);
  });
});

describe('each role sees its pages', () => {
  const pages: [string, string, string][] = [
    ['provider-A', '/portal/', 'Welcome, provider-A'],
    ['provider-A', '/portal/upload', 'Upload a submission'],
    ['provider-A', '/portal/submissions', 'Your submissions'],
    ['provider-A', '/portal/data-quality', 'Data quality over months'],
    ['provider-A', '/portal/extracts', 'Your extracts'],
    ['provider-A', '/portal/benchmark', 'Benchmarking'],
    ['commissioner-A', '/portal/commissioner', 'Dashboard for'],
    ['commissioner-A', '/portal/commissioner/extracts', 'Your commissioner extracts'],
    ['analyst', '/portal/national-data-quality', 'National data quality'],
    ['auditor', '/portal/', 'audit trail'],
    ['auditor', '/portal/audit', 'Audit trail entries, newest first'],
    ['auditor', '/portal/audit/verify', 'Intact.'],
  ];
  for (const [who, url, text] of pages) {
    it(`${who}: ${url}`, async () => {
      const r = await get(who, url);
      expect(r.statusCode, r.body).toBe(200);
      expect(r.body).toContain(text);
      expect(r.body.match(/<h1[ >]/g)).toHaveLength(1);
      for (const token of Object.values(s.tokens)) expect(r.body).not.toContain(token);
    });
  }

  it('a provider sees its own submission and report, never provider B’s (the API’s 404)', async () => {
    const mine = await get('provider-A', `/portal/submissions/${own}`);
    expect(mine.statusCode).toBe(200);
    expect(mine.body).toContain('Records by table');
    expect((await get('provider-A', `/portal/submissions/${own}/report`)).body).toContain('validation report');
    for (const url of [`/portal/submissions/${other}`, `/portal/submissions/${other}/report`, `/portal/submissions/${other}/findings.csv`, `/portal/extracts/submission/${other}`]) {
      const r = await get('provider-A', url);
      expect(r.statusCode, url).toBe(404);
      expect(r.body).not.toContain(s.providers[1]);
    }
    const list = await get('provider-A', '/portal/submissions');
    expect(list.body).toContain(s.providers[0]);
    expect(list.body).not.toContain(s.providers[1]);
  });

  it('calls the API on behalf of the browser’s address, so that its rate limit is per person, not per portal', async () => {
    const r = await s.app.inject({ method: 'GET', url: '/portal/submissions', remoteAddress: '198.51.100.7', cookies: { iapt_portal_session: cookies['provider-A']! } });
    expect(r.statusCode).toBe(200);
    const headers = (await s.app.inject({ method: 'GET', url: '/api/v1/me', remoteAddress: '198.51.100.7', headers: { authorization: `Bearer ${s.tokens['provider-A']}` } })).headers;
    const fresh = (await s.app.inject({ method: 'GET', url: '/api/v1/me', remoteAddress: '198.51.100.8', headers: { authorization: `Bearer ${s.tokens['provider-A']}` } })).headers;
    expect(Number(headers['x-ratelimit-remaining'])).toBeLessThan(Number(fresh['x-ratelimit-remaining']) - 1);
  });

  it('an auditor reads the trail newest first, a page at a time, and verifies it; no other role can', async () => {
    const latest = await get('auditor', '/portal/audit');
    const seqs = [...latest.body.matchAll(/<tr><th scope="row" class="n">(\d+)<\/th>/g)].map((m) => Number(m[1]));
    expect(seqs.length).toBeGreaterThan(1);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(latest.body).toContain('<td>auditor</td>');
    const first = await get('auditor', '/portal/audit?from=0');
    expect(first.body).toMatch(/Entries 1 to /);
    expect(first.body).toContain('Later entries');
    expect((await get('auditor', '/portal/audit?from=x')).statusCode).toBe(400);
    for (const who of ['provider-A', 'commissioner-A', 'analyst']) {
      expect((await get(who, '/portal/audit')).statusCode, who).toBe(403);
      expect((await get(who, '/portal/audit/verify')).statusCode, who).toBe(403);
    }
  });

  it('a researcher follows the releases of their agreements and downloads an approved one’s files; other roles cannot', async () => {
    expect((await get('researcher', '/portal/releases')).body).toContain('Releases of your agreements: none.');
    const api = (method: 'GET' | 'POST', url: string, who: string, body?: unknown) =>
      s.app.inject({ method, url, headers: { authorization: `Bearer ${s.tokens[who]}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { payload: JSON.stringify(body) } : {}) });
    expect((await api('POST', '/api/v1/agreements', 'analyst', { agreement: exampleAgreement('DARS-NIC-777777'), researchers: ['researcher'] })).statusCode).toBe(201);
    const id = (await api('POST', '/api/v1/agreements/DARS-NIC-777777/releases', 'analyst')).json<{ release: number }>().release;
    await s.jobs.idle();
    const waiting = await get('researcher', '/portal/releases');
    expect(waiting.body).toContain('In review: 0 of 2 approvals');
    expect(waiting.body).not.toContain(`/portal/releases/${id}/files/`);
    for (const reviewer of ['analyst-2', 'analyst-3']) expect((await api('POST', `/api/v1/releases/${id}/reviews`, reviewer, { decision: 'approve' })).statusCode).toBe(201);
    const approved = await get('researcher', '/portal/releases');
    expect(approved.body).toContain('Approved');
    expect(approved.body).toContain(`href="/portal/releases/${id}/files/manifest.json"`);
    const file = await get('researcher', `/portal/releases/${id}/files/manifest.json`);
    expect(file.statusCode).toBe(200);
    expect(file.body).toBe((await api('GET', `/api/v1/releases/${id}/files/manifest.json`, 'researcher')).body);
    expect((await get('researcher', `/portal/releases/${id}/files/..%2Fsecret`)).statusCode).toBe(404);
    for (const who of ['provider-A', 'commissioner-A', 'auditor']) expect((await get(who, '/portal/releases')).statusCode, who).toBe(403);
  });

  it('a page another role may not see is the API’s 403', async () => {
    expect((await get('provider-A', '/portal/national-data-quality')).statusCode).toBe(403);
    expect((await get('commissioner-A', '/portal/submissions')).statusCode).toBe(403);
    expect((await get('analyst', `/portal/extracts/provider/${PERIOD}`)).statusCode).toBe(403);
  });

  it('data quality shows rows, timeliness, items and continuity of the provider only', async () => {
    const r = await get('provider-A', '/portal/data-quality');
    for (const text of ['Rows received and rejected by month', 'Files received by month and window', 'The same items: the share valid, month by month', 'Continuity by processed month', 'September 2024']) expect(r.body).toContain(text);
    expect(r.body).not.toContain(s.providers[1]);
  });

  it('benchmarking shows the provider beside England and its peer, suppressed cells as suppressed', async () => {
    const r = await get('provider-A', '/portal/benchmark');
    expect(r.body).toContain(`${s.providers[0]} (you)`);
    expect(r.body).toContain('England');
    expect(r.body).toContain('Peers’ median');
    expect(r.body).toMatch(/class="suppressed">(suppressed|no figure)</);
  });

  it("a provider's exact figures (GET /api/v1/figures/provider) round to its published ones, and the providers' counts add up to England's", async () => {
    const bearer = (who: string) => ({ authorization: `Bearer ${s.tokens[who]}` });
    const monthly = (await s.app.inject({ method: 'GET', url: `/api/v1/published/${PERIOD}/iapt-monthly-${PERIOD}.csv` })).body;
    const published = publishedRows(monthly);
    const exact = async (who: string) =>
      (await s.app.inject({ method: 'GET', url: `/api/v1/figures/provider?period=${PERIOD}`, headers: bearer(who) })).json<{ provider: string; figures: { id: string; statistic: string; value: number | null }[] }>();
    const a = await exact('provider-A');
    const b = await exact('provider-B');
    expect(a.provider).toBe(s.providers[0]);
    // Counts: below England a count under 5 is published as "*", any other rounded to the nearest 5 (nhs-tt, src/measures/disclosure/policy.ts);
    // England is unrounded, and every referral of the month is one provider's (only these two providers submitted).
    for (const id of ['M001', 'M031', 'M076']) {
      const mine = a.figures.find((f) => f.id === id)!;
      expect(mine.statistic).toBe('count');
      const value = mine.value ?? 0;
      const cell = published.find((r) => r.groupType === 'Provider' && r.org2 === s.providers[0] && r.measure === id)?.value;
      expect(cell, `${id} published for ${s.providers[0]}`).toBe(value < 5 ? '*' : String(5 * Math.round(value / 5)));
      const england = published.find((r) => r.groupType === 'England' && r.measure === id)!.value;
      expect(value + (b.figures.find((f) => f.id === id)!.value ?? 0), `${id}: A + B = England`).toBe(Number(england));
    }
    expect(a.figures.find((f) => f.id === 'M001')!.value).toBeGreaterThan(0);
    // The page shows them in their own column.
    expect((await get('provider-A', '/portal/benchmark')).body).toContain('Yours, exact');
    // Another provider's are refused before anything is computed.
    expect((await s.app.inject({ method: 'GET', url: `/api/v1/figures/provider?period=${PERIOD}&provider=${s.providers[1]}`, headers: bearer('provider-A') })).statusCode).toBe(403);
  });

  it('a provider downloads its extract; a commissioner with an approval its own', async () => {
    const p = await get('provider-A', `/portal/extracts/provider/${PERIOD}`);
    expect(p.statusCode).toBe(200);
    expect(p.headers['content-disposition']).toContain('attachment');
    expect(p.headers['x-iapt-sha256']).toMatch(/^[0-9a-f]{64}$/);
    const c = await get('commissioner-A', `/portal/commissioner/extracts/${PERIOD}`);
    expect(c.statusCode).toBe(200);
  });
});

describe('forms', () => {
  it('uploads a file through the portal (without the script) and follows its job to the submission', async () => {
    const page = await get('provider-A', '/portal/upload');
    const file = multipartFile(s.zips[s.providers[0]]!);
    // The form's hidden CSRF field first, then the file, as a browser sends them.
    const boundary = file.headers['content-type']!.split('boundary=')[1]!;
    const field = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${csrfOf(page.body)}\r\n`);
    const r = await s.app.inject({ method: 'POST', url: '/portal/upload', cookies: { iapt_portal_session: cookies['provider-A']! }, headers: file.headers, payload: Buffer.concat([field, file.payload]) });
    expect(r.statusCode, r.body).toBe(303);
    const job = r.headers.location as string;
    expect(job).toMatch(/^\/portal\/jobs\//);
    await s.jobs.idle();
    const done = await get('provider-A', job);
    expect(done.body, done.body).toContain('Upload finished');
    expect(done.body, done.body).not.toContain('could not be checked');
    const link = /href="(\/portal\/submissions\/\d+)"/.exec(done.body)![1]!;
    expect(done.body).toContain('had already been received');
    expect((await get('provider-A', link)).body).toContain('Validation report');
    // Provider B may not follow A's job.
    expect((await get('provider-B', job)).statusCode).toBe(404);
  });

  it('refuses a POST without the session’s CSRF token', async () => {
    const file = multipartFile(s.zips[s.providers[0]]!);
    const r = await s.app.inject({ method: 'POST', url: '/portal/upload', cookies: { iapt_portal_session: cookies['provider-A']! }, ...file });
    expect(r.statusCode).toBe(403);
    const out = await s.app.inject({ method: 'POST', url: '/portal/sign-out', cookies: { iapt_portal_session: cookies['provider-A']! }, payload: 'csrf=wrong', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(out.statusCode).toBe(403);
    expect((await get('provider-A', '/portal/')).statusCode).toBe(200);
  });

  it('signing out ends the session', async () => {
    const cookie = await signIn(s.app, s.tokens['provider-A']!);
    const home = await s.app.inject({ method: 'GET', url: '/portal/', cookies: { iapt_portal_session: cookie } });
    const out = await s.app.inject({ method: 'POST', url: '/portal/sign-out', cookies: { iapt_portal_session: cookie }, payload: `csrf=${encodeURIComponent(csrfOf(home.body))}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(out.statusCode).toBe(200);
    expect(out.body).toContain('You have signed out');
    const after = await s.app.inject({ method: 'GET', url: '/portal/submissions', cookies: { iapt_portal_session: cookie } });
    expect(after.statusCode).toBe(303);
    expect(after.headers.location).toBe('/portal/sign-in');
  });
});

async function signedIn(who: string): Promise<WatchedPage> {
  const w = await watchedPage(browser);
  await w.page.goto(`${base}/portal/`);
  expect(new URL(w.page.url()).pathname).toBe('/portal/sign-in');
  await w.page.getByLabel('API token').fill(s.tokens[who]!);
  await w.page.getByRole('button', { name: 'Sign in' }).click();
  await w.page.waitForURL(`${base}/portal/`);
  return w;
}

/** The page renders cleanly: one h1, no axe violation, nothing wrong in the console or the network. */
async function clean(w: WatchedPage, path: string, h1: string | RegExp): Promise<void> {
  if (path) await w.page.goto(base + path);
  expect(await w.page.locator('h1').count()).toBe(1);
  expect(await w.page.locator('h1').innerText()).toMatch(h1);
  expect(await axeViolations(w.page), path).toEqual([]);
  expect(w.problems, path).toEqual([]);
}

async function closeAll(...pages: Page[]) {
  await Promise.all(pages.map((p) => p.context().close()));
}

describe('the portal in Chromium', () => {
  it('a provider signs in, uploads a file with the progress bar, sees the job finish and its report', async () => {
    const w = await watchedPage(browser);
    await w.page.goto(`${base}/`);
    await clean(w, '', 'Sign in');
    await w.page.getByLabel('API token').fill(s.tokens['provider-B']!);
    await w.page.getByRole('button', { name: 'Sign in' }).click();
    await w.page.waitForURL(`${base}/portal/`);
    await clean(w, '', /Welcome, provider-B/);
    await clean(w, '/portal/upload', 'Upload a submission');
    await w.page.getByLabel('Submission file').setInputFiles(s.zips[s.providers[1]]!);
    await w.page.getByRole('button', { name: 'Upload and check' }).click();
    await w.page.waitForURL(/\/portal\/jobs\//);
    // The script follows the job and reloads the page when it has finished.
    await w.page.getByRole('heading', { name: 'Upload finished' }).waitFor({ timeout: 20_000 });
    await clean(w, '', 'Upload finished');
    await w.page.getByRole('link', { name: /See submission \d+/ }).click();
    await clean(w, '', /Submission \d+: September 2024/);
    await w.page.getByRole('link', { name: 'Open the full validation report' }).click();
    expect(await w.page.locator('h1').innerText()).toContain('validation report');
    expect(w.problems).toEqual([]);
    await closeAll(w.page);
  });

  it('every page type renders with no console error and no axe violation', async () => {
    const provider = await signedIn('provider-A');
    for (const [path, h1] of [
      ['/portal/submissions', 'Your submissions'],
      [`/portal/submissions/${own}`, /^Submission/],
      ['/portal/data-quality', 'Data quality over months'],
      ['/portal/extracts', 'Your extracts'],
      ['/portal/benchmark', 'Benchmarking'],
    ] as const)
      await clean(provider, path, h1);
    // The keyboard reaches the skip link first, and it moves focus to the main content.
    await provider.page.keyboard.press('Tab');
    expect(await provider.page.evaluate('document.activeElement.textContent')).toBe('Skip to main content');
    const commissioner = await signedIn('commissioner-A');
    await clean(commissioner, '/portal/commissioner', /Dashboard for/);
    await clean(commissioner, '/portal/commissioner/extracts', 'Your commissioner extracts');
    const analyst = await signedIn('analyst');
    await clean(analyst, '/portal/national-data-quality', 'National data quality');
    const auditor = await signedIn('auditor');
    await clean(auditor, '/portal/', /Welcome, auditor/);
    await clean(auditor, '/portal/audit', 'Audit trail');
    await clean(auditor, '/portal/audit/verify', 'Audit trail verification');
    const researcher = await signedIn('researcher');
    await clean(researcher, '/portal/releases', 'Your research releases');
    await auditor.page.getByRole('button', { name: 'Sign out' }).click();
    await clean(auditor, '', 'You have signed out');
    await closeAll(provider.page, commissioner.page, analyst.page, auditor.page, researcher.page);
  });

  it("a provider cannot reach another provider's pages", async () => {
    const w = await signedIn('provider-B');
    for (const path of [`/portal/submissions/${own}`, `/portal/submissions/${own}/report`]) {
      const r = await w.page.goto(base + path);
      expect(r?.status(), path).toBe(404);
      expect(await w.page.locator('h1').innerText()).toBe('Page not found');
      expect(await w.page.content()).not.toContain(s.providers[0]);
    }
    expect(await axeViolations(w.page)).toEqual([]);
    await closeAll(w.page);
  });
});
