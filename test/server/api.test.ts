// The API end to end (embedded deployment, app.inject unless stated): an upload becomes a stored submission through
// its job; reports in three formats; uploads refused before a byte is stored; the size limit and a 200 MB upload
// streamed in bounded memory (a real socket); the audit trail of the requests; OpenID Connect bearer tokens verified
// against a key set the test makes; health, OpenAPI, security headers, rate limit.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/core/config.js';
import { buildServer } from '../../src/server/app.js';
import { jobHandlers } from '../../src/server/jobHandlers.js';
import { InProcessQueue } from '../../src/server/jobs.js';
import { UPLOADS_FOLDER } from '../../src/server/routes/submissions.js';
import { KEY, multipartFile, PERIOD, serve, type Served, stopServed } from './fixture.js';

const root = mkdtempSync(join(tmpdir(), 'iapt-api-'));
let s: Served;
const bearer = (who: string) => ({ authorization: `Bearer ${s.tokens[who]}` });
const uploads = () => (existsSync(join(s.data, UPLOADS_FOLDER)) ? readdirSync(join(s.data, UPLOADS_FOLDER)) : []);

beforeAll(async () => {
  s = await serve(root);
  // Today falls in September 2024's Primary window, so that a file uploaded now is placed, not refused as late.
  const today = new Date().toISOString().slice(0, 10);
  writeFileSync(join(s.data, 'calendar.json'), JSON.stringify({ windows: { [PERIOD]: { primary: [today, today], refresh: ['2099-01-01', '2099-01-02'] } } }));
}, 120_000);
afterAll(() => stopServed(s, root));

async function finished(id: string, who: string) {
  await s.jobs.idle();
  return (await s.app.inject({ method: 'GET', url: `/api/v1/jobs/${id}`, headers: bearer(who) })).json<{ status: string; result: Record<string, unknown> | null; error: string | null }>();
}

describe('submissions through the API', () => {
  let id = 0;
  it('stores an upload through its job: 202 with the sha256 computed while streaming, then the submission', async () => {
    const provider = s.providers[1];
    const file = multipartFile(s.zips[provider]!);
    const res = await s.app.inject({ method: 'POST', url: `/api/v1/submissions?provider=${provider}`, payload: file.payload, headers: { ...file.headers, ...bearer('provider-B') } });
    expect(res.statusCode).toBe(202);
    const body = res.json<{ job: { id: string; status: string }; sha256: string; bytes: number; location: string }>();
    const bytes = readFileSync(s.zips[provider]!);
    expect(body.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(body.bytes).toBe(bytes.length);
    const job = await finished(body.job.id, 'provider-B');
    expect(job).toMatchObject({ status: 'succeeded', result: { status: 'stored', outcome: 'accepted', fileType: 'Primary', period: PERIOD } });
    id = Number(job.result!.submissionId);
    const got = await s.app.inject({ method: 'GET', url: `/api/v1/submissions/${id}`, headers: bearer('provider-B') });
    expect(got.json()).toMatchObject({ id, provider, period: PERIOD, fileType: 'Primary', outcome: 'accepted', sha256: body.sha256 });
    expect(uploads()).toEqual([]);
  });

  it('serves the report as JSON, HTML or the findings CSV, by ?format= or Accept', async () => {
    const json = await s.app.inject({ method: 'GET', url: `/api/v1/submissions/${id}/report`, headers: bearer('provider-B') });
    expect(json.headers['content-type']).toMatch(/application\/json/);
    expect(json.json()).toMatchObject({ outcome: 'accepted' });
    const html = await s.app.inject({ method: 'GET', url: `/api/v1/submissions/${id}/report`, headers: { ...bearer('provider-B'), accept: 'text/html' } });
    expect(html.headers['content-type']).toMatch(/text\/html/);
    expect(html.body).toMatch(/<html/i);
    const csv = await s.app.inject({ method: 'GET', url: `/api/v1/submissions/${id}/report?format=csv`, headers: bearer('provider-B') });
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body.split('\n')[0]).toMatch(/code/i);
  });

  it("refuses an upload for another provider before a byte is stored", async () => {
    const before = uploads();
    const file = multipartFile(s.zips[s.providers[1]]!);
    const res = await s.app.inject({ method: 'POST', url: `/api/v1/submissions?provider=${s.providers[1]}`, payload: file.payload, headers: { ...file.headers, ...bearer('provider-A') } });
    expect(res.statusCode).toBe(403);
    expect(uploads()).toEqual(before);
  });

  it('refuses a file over the size limit with 413, keeping nothing', async () => {
    const base = { dataDir: s.data, databaseUrl: null, config: { ...readConfig({}), pseudoKey: KEY }, uploadLimit: 8 * 1024 };
    const small = await buildServer({ ...base, jobs: new InProcessQueue(jobHandlers(base)) });
    try {
      const file = multipartFile(s.zips[s.providers[0]]!);
      expect(readFileSync(s.zips[s.providers[0]]!).length).toBeGreaterThan(8 * 1024);
      const res = await small.inject({ method: 'POST', url: '/api/v1/submissions', payload: file.payload, headers: { ...file.headers, ...bearer('provider-A') } });
      expect(res.statusCode).toBe(413);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(uploads()).toEqual([]);
    } finally {
      await small.close();
    }
  });

  it('streams a 200 MB upload to disk in bounded memory (a real socket; RSS grows by less than 100 MB)', async () => {
    const base = { dataDir: s.data, databaseUrl: null, config: { ...readConfig({}), pseudoKey: KEY }, uploadLimit: 256 * 1024 * 1024 };
    const jobs = new InProcessQueue(jobHandlers(base));
    const big = await buildServer({ ...base, jobs });
    const address = await big.listen({ port: 0, host: '127.0.0.1' });
    const size = 200 * 1024 * 1024;
    const boundary = '----iaptlarge';
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="large.zip"\r\nContent-Type: application/zip\r\n\r\n`);
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const chunk = Buffer.alloc(1024 * 1024, 7);
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${address}/api/v1/submissions`, { method: 'POST', headers: { ...bearer('provider-A'), 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(head.length + size + tail.length) } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      });
      req.on('error', reject);
      let sent = 0;
      const pump = () => {
        while (sent < size) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end(tail);
      };
      req.write(head);
      pump();
    });
    clearInterval(timer);
    expect(status).toBe(202);
    expect(peak - before).toBeLessThan(100 * 1024 * 1024);
    await jobs.idle(); // the job fails (not a zip) and removes the file
    await big.close();
    expect(uploads()).toEqual([]);
  }, 60_000);
});

describe('the submission window calendar', () => {
  it('reads a period\'s windows without a token (the rule: 1st to the 25th of the next two months), and the admin records NHS dates', async () => {
    const rule = await s.app.inject({ method: 'GET', url: '/api/v1/calendar/2030-11' });
    expect(rule.json()).toEqual({ period: '2030-11', recorded: false, closeDay: 25, primary: ['2030-12-01', '2030-12-25'], refresh: ['2031-01-01', '2031-01-25'] });
    const dates = { primary: ['2030-12-02', '2030-12-19'], refresh: ['2031-01-06', '2031-01-27'] };
    const put = await s.app.inject({ method: 'PUT', url: '/api/v1/calendar/2030-11', payload: dates, headers: bearer('admin') });
    expect(put.statusCode).toBe(200);
    expect((await s.app.inject({ method: 'GET', url: '/api/v1/calendar/2030-11' })).json()).toEqual({ period: '2030-11', recorded: true, closeDay: 25, ...dates });
    const backwards = await s.app.inject({ method: 'PUT', url: '/api/v1/calendar/2030-11', payload: { primary: ['2031-01-10', '2030-12-19'], refresh: dates.refresh }, headers: bearer('admin') });
    expect(backwards.statusCode).toBe(422);
    expect(backwards.json<{ detail: string }>().detail).toMatch(/ends \(2030-12-19\) before it starts \(2031-01-10\)/);
  });
});

describe('the audit trail of the API', () => {
  it('records every /api request with who, what and the outcome, and verifies intact', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/api/v1/audit?limit=10000', headers: bearer('auditor') });
    const entries = res.json<{ entries: { actor: string; role: string; org: string | null; action: string; object: string; outcome: string }[] }>().entries;
    expect(entries.some((e) => e.actor === 'provider-B' && e.action === 'POST' && e.object.startsWith('/api/v1/submissions') && e.outcome === '202')).toBe(true);
    expect(entries.some((e) => e.actor === 'provider-A' && e.outcome === '403')).toBe(true);
    const verify = await s.app.inject({ method: 'GET', url: '/api/v1/audit/verify', headers: bearer('auditor') });
    expect(verify.json()).toMatchObject({ ok: true });
  });
});

describe('OpenID Connect bearer tokens', () => {
  it('accepts a JWT of the configured issuer and maps its claims to role and organisation; refuses others with 401', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'test', alg: 'ES256' };
    const base = { dataDir: s.data, databaseUrl: null, config: { ...readConfig({}), pseudoKey: KEY }, uploadLimit: 1024 * 1024, oidc: { issuer: 'https://idp.test', audience: 'iapt-api', jwks: { keys: [jwk] } } };
    const app = await buildServer({ ...base, jobs: new InProcessQueue(jobHandlers(base)) });
    const sign = (claims: Record<string, unknown>, issuer = 'https://idp.test', expires = '5m') =>
      new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'test' }).setIssuer(issuer).setAudience('iapt-api').setSubject('alice@provider').setIssuedAt().setExpirationTime(expires).sign(privateKey);
    try {
      const ok = await app.inject({ method: 'GET', url: '/api/v1/submissions', headers: { authorization: `Bearer ${await sign({ iapt_role: 'provider', iapt_org: s.providers[0].toLowerCase() })}` } });
      expect(ok.statusCode).toBe(200);
      expect(new Set(ok.json<{ submissions: { provider: string }[] }>().submissions.map((r) => r.provider))).toEqual(new Set([s.providers[0]]));
      for (const token of [await sign({ iapt_role: 'provider', iapt_org: s.providers[0] }, 'https://evil.test'), await sign({ iapt_role: 'provider' }, 'https://idp.test', '-1m'), await sign({ iapt_org: s.providers[0] })]) {
        const res = await app.inject({ method: 'GET', url: '/api/v1/submissions', headers: { authorization: `Bearer ${token}` } });
        expect(res.statusCode).toBe(401);
      }
    } finally {
      await app.close();
    }
  });
});

describe('the service itself', () => {
  it('answers /healthz, /readyz, /openapi.json (OpenAPI 3) and /docs without a token', async () => {
    expect((await s.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await s.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    const doc = (await s.app.inject({ method: 'GET', url: '/openapi.json' })).json<{ openapi: string; paths: object }>();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toContain('/api/v1/submissions');
    const docs = await s.app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode, docs.body).toBe(200);
  });

  it('sends security headers and no CORS header; an unknown route is a 404 problem', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/api/v1/published', headers: { origin: 'https://elsewhere.test' } });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeDefined();
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const missing = await s.app.inject({ method: 'GET', url: '/api/v1/nothing' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/problem\+json/);
  });

  it('limits the rate per client: beyond the limit, 429', async () => {
    const base = { dataDir: s.data, databaseUrl: null, config: { ...readConfig({}), pseudoKey: KEY }, uploadLimit: 1024 * 1024 };
    const app = await buildServer({ ...base, jobs: new InProcessQueue(jobHandlers(base)) }, { rateLimit: 3 });
    try {
      const codes = [];
      for (let i = 0; i < 4; i++) codes.push((await app.inject({ method: 'GET', url: '/api/v1/published' })).statusCode);
      expect(codes).toEqual([200, 200, 200, 429]);
    } finally {
      await app.close();
    }
  });
});
