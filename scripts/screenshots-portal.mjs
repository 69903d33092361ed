// Screenshots of the provider portal's main pages for docs/portal.md, in Debian's Chromium (scripts/chromium.mjs)
// driven by playwright-core: `npm run build && node scripts/screenshots-portal.mjs`. It runs `iapt demo` over six
// months into a temporary folder, places the demo's publication where `iapt serve` publishes, adds a provider, a
// commissioner, an analyst and an administrator (who records the commissioner's approval), starts `iapt serve` on
// a free port, signs each in through the token form and saves docs/img/portal-*.png. Everything is synthetic.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
/* global fetch */
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, ensureChromium } from './chromium.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const iapt = (...args) => execFileSync(process.execPath, [join(repo, 'bin/iapt.js'), ...args], { encoding: 'utf8', cwd: repo });
const out = join(repo, 'docs/img');
const work = mkdtempSync(join(tmpdir(), 'iapt-portal-shots-'));
let server;
try {
  const PERIOD = '2024-09';
  const demo = iapt('demo', '--out', join(work, 'demo'), '--months', `2024-04..${PERIOD}`);
  const data = join(work, 'demo/iapt-data');
  mkdirSync(join(data, 'published'), { recursive: true });
  cpSync(join(work, 'demo/publication'), join(data, 'published', PERIOD), { recursive: true });
  const monthly = readFileSync(join(data, 'published', PERIOD, `iapt-monthly-${PERIOD}.csv`), 'utf8').split('\n').map((l) => l.split(','));
  const provider = monthly.find((r) => r[2] === 'Provider')[5];
  const commissioner = /--commissioner (\w+)/.exec(demo)[1];
  const token = (name, role, org) => /iapt_[\w-]{43}/.exec(iapt('users', 'add', '--data', data, '--name', name, '--role', role, ...(org ? ['--org', org] : [])))[0];
  const tokens = { provider: token(`${provider} submissions lead`, 'provider', provider), commissioner: token(`${commissioner} commissioning`, 'commissioner', commissioner), analyst: token('National analyst', 'analyst'), admin: token('Administrator', 'admin') };

  server = spawn(process.execPath, [join(repo, 'bin/iapt.js'), 'serve', '--data', data, '--port', '0'], { cwd: repo, stdio: ['ignore', 'pipe', 'inherit'] });
  const base = await new Promise((resolve, reject) => {
    let text = '';
    server.stdout.on('data', (chunk) => {
      text += chunk;
      const m = /iapt serve: (http:\/\/[\d.:]+)/.exec(text);
      if (m) resolve(m[1]);
    });
    server.on('exit', (code) => reject(new Error(`iapt serve exited with ${code}`)));
  });
  const approval = await fetch(`${base}/api/v1/commissioner-approvals`, { method: 'POST', headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'application/json' }, body: JSON.stringify({ commissioner, reference: 'DSA-DEMO-1', expiresOn: '2099-12-31' }) });
  if (!approval.ok) throw new Error(`approval: ${approval.status}`);

  const browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS, headless: true });
  const shots = [];
  const signedIn = async (who) => {
    const page = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
    await page.goto(`${base}/portal/sign-in`);
    await page.getByLabel('API token').fill(tokens[who]);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/portal/`);
    return page;
  };
  const shoot = async (page, path, name) => {
    if (path) await page.goto(base + path);
    const file = join(out, `portal-${name}.png`);
    // The whole page, but no longer than 1,600 pixels: the top of a long page shows what it is, and stays small.
    const height = Math.min(1600, await page.evaluate('document.documentElement.scrollHeight'));
    await page.screenshot({ path: file, fullPage: true, clip: { x: 0, y: 0, width: page.viewportSize().width, height } });
    shots.push(`${file} (${Math.round(statSync(file).size / 1024)} KB)`);
  };
  const visitor = await (await browser.newContext({ viewport: { width: 1200, height: 700 } })).newPage();
  await shoot(visitor, '/portal/sign-in', 'sign-in');
  const p = await signedIn('provider');
  await shoot(p, '/portal/upload', 'upload');
  await shoot(p, '/portal/submissions', 'submissions');
  const latest = await p.getByRole('link', { name: /^\d+$/ }).first().getAttribute('href');
  await shoot(p, latest, 'submission');
  await shoot(p, '/portal/data-quality', 'data-quality');
  await shoot(p, '/portal/benchmark', 'benchmark');
  const c = await signedIn('commissioner');
  await shoot(c, '/portal/commissioner', 'commissioner');
  const a = await signedIn('analyst');
  await shoot(a, '/portal/national-data-quality', 'national-data-quality');
  await browser.close();
  process.stdout.write(`${shots.join('\n')}\n`);
  for (const f of readdirSync(out).filter((f) => f.startsWith('portal-'))) if (statSync(join(out, f)).size > 300 * 1024) process.stdout.write(`warning: ${f} is over 300 KB\n`);
} finally {
  server?.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
}
