// Shared by the portal's tests: the fixture's served data directory with the portal registered and the month
// published (for the benchmarking and commissioner pages), and signing in through the token form with app.inject.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { registerPortal, type PortalOptions } from '../../src/web/portal/index.js';
import { registerRoot } from '../../src/web/portal/root.js';
import { PERIOD, serve, type Served } from '../server/fixture.js';

export async function servePortal(root: string, options: PortalOptions = {}): Promise<Served> {
  const s = await serve(root);
  // Today falls in September 2024's Primary window, so that a file uploaded now is placed, not refused as late.
  const today = new Date().toISOString().slice(0, 10);
  writeFileSync(join(s.data, 'calendar.json'), JSON.stringify({ windows: { [PERIOD]: { primary: [today, today], refresh: ['2099-01-01', '2099-01-02'] } } }));
  await registerPortal(s.app, { uploadLimit: 50 * 1024 * 1024 }, options);
  await registerRoot(s.app);
  const published = await s.app.inject({ method: 'POST', url: '/api/v1/publications', headers: { authorization: `Bearer ${s.tokens.analyst}`, 'content-type': 'application/json' }, payload: JSON.stringify({ period: PERIOD }) });
  if (published.statusCode !== 202) throw new Error(`publication: ${published.body}`);
  await s.jobs.idle();
  return s;
}

export const csrfOf = (html: string): string => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

/** Signs in with a token through the form; the session cookie's value. */
export async function signIn(app: FastifyInstance, token: string): Promise<string> {
  const form = await app.inject({ method: 'GET', url: '/portal/sign-in' });
  const pre = form.cookies.find((c) => c.name === 'iapt_portal_sign_in')!.value;
  const r = await app.inject({ method: 'POST', url: '/portal/sign-in', cookies: { iapt_portal_sign_in: pre }, payload: new URLSearchParams({ token, csrf: csrfOf(form.body) }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  if (r.statusCode !== 303) throw new Error(`sign-in: ${r.statusCode} ${r.body}`);
  return r.cookies.find((c) => c.name === 'iapt_portal_session')!.value;
}
