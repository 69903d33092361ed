// The public data hub (`iapt hub build`, src/web/hub/): built once in beforeAll over NHS England's annual history
// for a few organisations plus one small publication of ours (synth → submit → process → publish, one provider,
// June 2024 with its quarter and year to date), then read as files and in real Chromium over a tiny static server.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/core/db.js';
import { derivePeriod } from '../../src/derivation/index.js';
import { parseCsv } from '../../src/intake/csvText.js';
import { processPeriod } from '../../src/linkage/process.js';
import { publish } from '../../src/measures/publish/index.js';
import { submit } from '../../src/store/submit.js';
import { buildHub, type HubResult } from '../../src/web/hub/build.js';
import { loadHub } from '../../src/web/hub/data.js';
import { axeViolations, launchChromium, watchedPage } from '../helpers/browser.js';
import { run } from '../helpers/cli.js';
import { receivedFor, synthMonths } from '../store/helpers.js';

const HISTORY = new URL('../../reference/nhs/measures_annual.parquet', import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), 'iapt-hub-'));
const synth = join(root, 'synth');
const data = join(root, 'data');
const publication = join(root, 'publication');
const site = join(root, 'site');
// measures_annual.parquet: London region, North Central London (STP, then ICB), Northumberland CCG, LGBT Foundation
// (a provider with suppressed cells in 2024-25); the synthetic provider is added once its code is known.
const HISTORY_ORGS = ['Y56', 'QMJ', '00L', '8J724'];

let provider = '';
let built: HubResult;
let server: Server;
let base = '';
let browser: Browser;

beforeAll(async () => {
  const months = synthMonths(synth, '2024-06..2024-06', 1);
  for (const f of months.files) expect((await submit(join(synth, f.path), { dataDir: data, received: receivedFor(f.period, 'primary'), referenceDir: join(synth, 'reference') })).status).toBe('stored');
  provider = months.files[0]!.provider;
  await processPeriod({ dataDir: data, period: '2024-06', referenceDir: join(synth, 'reference'), afterLink: (folder) => derivePeriod(folder, '2024-06', join(synth, 'reference')) });
  await publish({ dataDir: data, period: '2024-06', quarter: '2024-Q2', year: '2024-25', policy: 'nhs-tt', out: publication, referenceDir: join(synth, 'reference') });
  built = await buildHub({ publications: [publication], out: site, organisations: [...HISTORY_ORGS, provider] });
  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    try {
      const body = readFileSync(join(site, path.endsWith('/') ? `${path}index.html` : path));
      const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.json': 'application/json', '.csv': 'text/csv' };
      res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
  rmSync(root, { recursive: true, force: true });
});

const text = (path: string) => readFileSync(join(site, path), 'utf8');
const csv = (path: string) => parseCsv(text(path).trimEnd());
const publishedAnnual = () => parseCsv(readFileSync(join(publication, 'iapt-annual-main-2024-25-to-2024-06.csv'), 'utf8').trimEnd());

describe('the data behind the hub', () => {
  it("reads NHS England's 2023-24 England Percentage_Recovery (50.1) and Count_ReferralsReceived (1,829,202) from the history", async () => {
    // measures_annual.parquet, England, 2023-24, Total; the same figures in /work/shared/docs/domain/measures-and-outcomes.md
    // (the 2023-24 row of its annual table: 1,829,202 referrals; recovery 318,013 of 671,648 − 37,164 = 634,484
    // finishers at caseness, 50.12 %, published 50.1; reliable improvement 66.8; deterioration 5.9).
    const db = await openDb();
    try {
      await loadHub(db, { history: HISTORY, files: [], organisations: [] });
      const rows = await db.all(`SELECT measure, value FROM hub WHERE level = 'England' AND period = '2023-24' AND variable_type = 'Total' ORDER BY measure`);
      expect(Object.fromEntries(rows.map((r) => [r.measure, r.value]))).toEqual({ M001: '1829202', M076: '671648', M1010: '5.9', M186: '66.8', M192: '50.1', M195: '47.1' });
      expect(await db.count(`SELECT count(DISTINCT level) FROM hub`), 'England only: no organisation asked for').toBe(1);
    } finally {
      db.close();
    }
  });

  it('builds every page type under 300 KB, and says what each source holds', () => {
    // + our provider, its sub-ICB and ICB (synthetic); its region is London (Y56), already in the history.
    expect(built.organisations).toBe(HISTORY_ORGS.length + 3);
    expect(built.largestPageBytes).toBeLessThan(300 * 1024);
    for (const page of ['index.html', 'about.html', 'search.html', 'compare.html', 'breakdowns.html', 'inequalities.html', 'org/Provider-8J724.html', 'org/Region-Y56.html', 'org/ICB-QMJ.html', 'org/SubICB-00L.html', `org/Provider-${provider}.html`])
      expect(text(page), page).toMatch(/<h1>/);
    expect(text('index.html')).toMatch(/NHS England's annual history holds six of these measures/);
    // England's page has our quarter's measures NHS England's annual file lacks (entering treatment, 6-week waits).
    expect(text('index.html')).toMatch(/Finished treatment within 6 weeks of referral/);
  });

  it('shows Percentage_ReliableDeterioration of LGBT Foundation 2024-25 as suppressed, never as zero', () => {
    // measures_annual.parquet: 8J724, 2024-25, Total, deterioration percentage '*' (count '*', 55 finishers).
    const page = text('org/Provider-8J724.html');
    const row = /<tr><th scope="row">Reliable deterioration rate \(%\)<\/th>(.*?)<\/tr>/.exec(page)![1]!;
    expect(row).toMatch(/^<td class="n sup"><abbr title="suppressed to protect confidentiality">\*<\/abbr> <span class="sup-label">suppressed<\/span><\/td>/);
    expect(page).toMatch(/href="\.\.\/about\.html#disclosure"/);
    const chart = csv('org/Provider-8J724-m1010.csv');
    const y2425 = chart.find((r) => r[0] === '2024-25')!;
    expect(y2425[1]).toBe('*');
    expect(text('about.html')).toMatch(/id="disclosure"/);
  });

  it("a chart's CSV holds our provider's Percentage_Recovery exactly as the published annual file", () => {
    const annual = publishedAnnual();
    const header = annual[0]!;
    const row = annual.find((r) => r[0] === 'Provider' && r[1] === provider && r[3] === 'Total')!;
    const published = row[header.indexOf('Percentage_Recovery')]!;
    const chart = csv(`org/Provider-${provider}-m192.csv`);
    const column = chart[0]!.findIndex((h) => h.endsWith('(this platform)') && !h.startsWith('England'));
    expect(chart.find((r) => r[0] === '2024-25 to 2024-06')![column]).toBe(published);
  });

  it('refuses a folder that is not a release-checked publication, a changed file, and a non-empty folder that is not a hub build', async () => {
    const loose = join(root, 'loose');
    mkdirSync(loose);
    writeFileSync(join(loose, 'iapt-monthly-2024-06.csv'), 'x\n');
    let r = await run('hub', 'build', '--publication', loose, '--out', join(root, 'out1'));
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/loose\/manifest\.json: no manifest/);
    const changed = join(root, 'changed');
    cpSync(publication, changed, { recursive: true });
    writeFileSync(join(changed, 'iapt-monthly-2024-06.csv'), readFileSync(join(changed, 'iapt-monthly-2024-06.csv'), 'utf8').replace(/,\d+\n/, ',0\n'));
    r = await run('hub', 'build', '--publication', changed, '--out', join(root, 'out2'));
    expect(r.err).toMatch(/iapt-monthly-2024-06\.csv: its sha256 differs from the manifest's/);
    r = await run('hub', 'build', '--out', loose);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/is not empty and is not an earlier hub build/);
  });
});

describe('the hub in Chromium', () => {
  const pages = ['index.html', 'org/Provider-8J724.html', 'org/SubICB-00L.html', 'breakdowns/ethnic-group.html', 'inequalities.html', 'search.html', 'compare.html', 'about.html'];
  it('renders every page type with no console error or failed request, and no WCAG 2.2 AA violation', async () => {
    const { page, problems } = await watchedPage(browser);
    const violations: string[] = [];
    for (const p of [...pages, `org/Provider-${provider}.html`, 'org/Region-Y56.html']) {
      await page.goto(base + p);
      expect(await page.locator('h1').count(), p).toBe(1);
      if (pages.includes(p)) violations.push(...(await axeViolations(page)).map((v) => `${p}: ${v}`));
    }
    expect(problems).toEqual([]);
    expect(violations).toEqual([]);
    await page.context().close();
  }, 60_000);

  it("shows in the Percentage_Recovery chart's table the provider's value of the published annual file", async () => {
    const annual = publishedAnnual();
    const row = annual.find((r) => r[0] === 'Provider' && r[1] === provider && r[3] === 'Total')!;
    const published = row[annual[0]!.indexOf('Percentage_Recovery')]!;
    const { page } = await watchedPage(browser);
    await page.goto(`${base}org/Provider-${provider}.html`);
    const table = page.locator('figure', { has: page.locator('h3#m192') }).locator('table');
    const headers = await table.locator('thead th').allTextContents();
    const column = headers.findIndex((h) => h.endsWith('(this platform)') && !h.startsWith('England'));
    const cells = await table.locator('tbody tr', { has: page.locator('th', { hasText: '2024-25 to 2024-06' }) }).locator('th, td').allTextContents();
    expect(cells[column]!.replace(/,/g, '')).toBe(published === '*' ? '* suppressed' : published);
    await page.context().close();
  });

  it('finds an organisation by name with the keyboard only (type, Enter, Enter)', async () => {
    const { page, problems } = await watchedPage(browser);
    await page.goto(`${base}search.html`);
    for (let i = 0; i < 20 && (await page.evaluate('document.activeElement && document.activeElement.id')) !== 'q'; i++) await page.keyboard.press('Tab');
    await page.keyboard.type('lgbt');
    await expect.poll(() => page.locator('#search-status').textContent()).toBe('1 organisation matches');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.waitForURL(/org\/Provider-8J724\.html$/);
    expect(await page.locator('h1').textContent()).toBe('LGBT FOUNDATION (8J724)');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('compares organisations with the keyboard only, with their published Percentage_Recovery', async () => {
    const { page, problems } = await watchedPage(browser);
    await page.goto(`${base}compare.html`);
    for (let i = 0; i < 20 && (await page.evaluate('document.activeElement && document.activeElement.id')) !== 'org'; i++) await page.keyboard.press('Tab');
    await page.keyboard.type('8J724');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#compare-status').textContent()).toMatch(/LGBT FOUNDATION added \(1 of 5\)/);
    await page.keyboard.type('Y56');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#compare-status').textContent()).toMatch(/added \(2 of 5\)/);
    const headers = await page.locator('#compare-latest thead th').allTextContents();
    expect(headers).toEqual(['Measure', 'LGBT FOUNDATION', 'LONDON COMMISSIONING REGION']);
    // measures_annual.parquet 2024-25: 8J724 recovery 42 %, deterioration '*'.
    const recovery = await page.locator('#compare-latest tbody tr', { has: page.locator('th', { hasText: /^Recovery rate/ }) }).locator('td').allTextContents();
    expect(recovery[0]).toBe('42');
    const deterioration = await page.locator('#compare-latest tbody tr', { has: page.locator('th', { hasText: /^Reliable deterioration/ }) }).locator('td').allTextContents();
    expect(deterioration[0]).toBe('* suppressed');
    // Remove the first with the keyboard: Tab from the input to its Remove button.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Remove LGBT FOUNDATION');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#compare-latest thead th').allTextContents()).toEqual(['Measure', 'LONDON COMMISSIONING REGION']);
    expect(new URL(page.url()).search).toBe('?orgs=Region-Y56');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('keeps the comparison in the address: a link brings back its organisations, in order, and says which it lacks', async () => {
    const { page, problems } = await watchedPage(browser);
    await page.goto(`${base}compare.html`);
    await page.locator('#org').fill('8J724');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#compare-status').textContent()).toMatch(/added \(1 of 5\)/);
    await page.locator('#org').fill('Y56');
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).search).toBe('?orgs=Provider-8J724,Region-Y56');
    await page.goto(`${base}compare.html?orgs=Region-Y56,Provider-8J724,Provider-NOPE1`);
    await expect.poll(() => page.locator('#compare-latest thead th').allTextContents()).toEqual(['Measure', 'LONDON COMMISSIONING REGION', 'LGBT FOUNDATION']);
    expect(await page.locator('#compare-status').textContent()).toBe('2 of the 3 organisations in the link chosen: the others are not in this hub.');
    expect(new URL(page.url()).search).toBe('?orgs=Region-Y56,Provider-8J724');
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
