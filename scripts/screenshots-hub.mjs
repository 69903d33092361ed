// Screenshots of the public data hub's main pages for docs/hub.md, in Debian's Chromium (scripts/chromium.mjs)
// driven by playwright-core: `npm run build && node scripts/screenshots-hub.mjs`. It builds a small hub (NHS
// England's history for England and a few organisations; no publication of ours) into a temporary folder, serves
// it on a free port and saves docs/img/hub-*.png (viewport-sized, so each stays small).
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, ensureChromium } from './chromium.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const { buildHub } = await import(join(repo, 'dist/web/hub/build.js'));
const out = join(repo, 'docs/img');
const work = mkdtempSync(join(tmpdir(), 'iapt-hub-shots-'));
const site = join(work, 'site');
const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.json': 'application/json', '.csv': 'text/csv' };
let server;
try {
  // London region, North Central London ICB, Northumberland CCG, two providers of different sizes.
  await buildHub({ publications: [], out: site, organisations: ['Y56', 'QMJ', '00L', 'RRP', '8J724'] });
  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    try {
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(readFileSync(join(site, path.endsWith('/') ? `${path}index.html` : path)));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const base = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS, headless: true });
  const page = await (await browser.newContext({ viewport: { width: 1100, height: 1000 } })).newPage();
  const shot = async (name, scrollTo) => {
    if (scrollTo) await page.locator(scrollTo).first().evaluate((el) => el.scrollIntoView());
    const path = join(out, `hub-${name}.png`);
    await page.screenshot({ path });
    console.log(`${path}: ${Math.round(statSync(path).size / 1024)} KiB`);
  };
  await page.goto(`${base}index.html`);
  await shot('england');
  await page.goto(`${base}index.html`);
  await shot('england-trends', '#activity');
  await page.goto(`${base}org/Provider-8J724.html`);
  await shot('provider');
  await shot('provider-recovery', '#m192');
  await page.goto(`${base}inequalities.html`);
  await shot('inequalities');
  await page.goto(`${base}compare.html`);
  for (const code of ['Y56', 'QMJ', '00L']) {
    await page.locator('#org').fill(code);
    await page.keyboard.press('Enter');
    await page.locator('#compare-status').filter({ hasText: 'added' }).waitFor();
  }
  await shot('compare');
  await page.goto(`${base}search.html`);
  await page.locator('#q').fill('london');
  await page.locator('#results li').first().waitFor();
  await shot('search');
  await browser.close();
} finally {
  server?.close();
  rmSync(work, { recursive: true, force: true });
}
