// Real Chromium for the end-to-end tests of the web pages: Debian's chromium (installed by scripts/chromium.mjs when
// missing) driven by playwright-core, launched with the flags for a closed network. `withPage` collects console
// errors and failed requests, so a test can say a page rendered cleanly; `axeViolations` runs axe-core (from npm)
// in the page against WCAG 2.2 AA.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, ensureChromium } from '../../scripts/chromium.mjs';

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS, headless: true });
}

export interface WatchedPage {
  page: Page;
  /** Console errors, page errors and failed or 4xx/5xx requests seen so far. */
  problems: string[];
}

/** A new page in its own context, watched for console errors, uncaught exceptions and failed requests. */
export async function watchedPage(browser: Browser, options: { extraHTTPHeaders?: Record<string, string> } = {}): Promise<WatchedPage> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => void (m.type() === 'error' && problems.push(`console: ${m.text()}`)));
  page.on('pageerror', (e) => void problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => void problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('response', (r) => void (r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`)));
  return { page, problems };
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's violations of WCAG 2.0–2.2 A and AA on the page as it is now, as "rule: target" lines. */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, so a page's Content-Security-Policy (script-src 'self') does not stop it.
  await page.evaluate(AXE_SOURCE);
  // A string, evaluated in the page (the tests are compiled without the DOM's types).
  const violations = (await page.evaluate(`(async () => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
    return result.violations.flatMap((v) => v.nodes.map((n) => v.id + ': ' + JSON.stringify(n.target)));
  })()`)) as string[];
  return violations;
}
