// The authorisation matrix: every route of the OpenAPI document (a route missing here fails the test) × every role ×
// own organisation / another organisation, and no token, against the status the access rules give
// (src/server/authorise.ts); and no answer to provider A ever carries provider B's code.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/core/config.js';
import { buildServer } from '../../src/server/app.js';
import { Catalog } from '../../src/store/catalog.js';
import { exampleAgreement, KEY, multipartFile, PERIOD, serve, type Served, stopServed } from './fixture.js';

const root = mkdtempSync(join(tmpdir(), 'iapt-authz-'));
let s: Served;
let ids: { ownSubmission: number; otherSubmission: number; ownJob: string; otherJob: string; ownExtract: string; otherExtract: string; throwaway: number[]; ownRelease: number; otherRelease: number; agreements: number };

beforeAll(async () => {
  s = await serve(root, { stubNationalJobs: true });
  const catalog = await Catalog.open(s.data, { readOnly: true });
  const rows = await catalog.submissions();
  catalog.close();
  const own = rows.find((r) => r.provider === s.providers[0] && r.period === PERIOD)!;
  const other = rows.find((r) => r.provider === s.providers[1])!;
  // One job of each provider: B uploads its September file.
  const upload = async (who: string, provider: string) =>
    (await s.app.inject({ method: 'POST', url: `/api/v1/submissions?provider=${provider}`, ...withToken(who, multipartFile(s.zips[provider]!)) })).json<{ job: { id: string } }>().job.id;
  const otherJob = await upload('provider-B', s.providers[1]);
  const ownJob = await upload('provider-A', s.providers[0]);
  // One extract job of each provider, asked for by POST.
  const extract = async (who: string, provider: string) =>
    (await s.app.inject({ method: 'POST', url: `/api/v1/extracts/provider?period=${PERIOD}&provider=${provider}`, ...withToken(who) })).json<{ job: { id: string } }>().job.id;
  const ownExtract = await extract('provider-A', s.providers[0]);
  const otherExtract = await extract('provider-B', s.providers[1]);
  // Two agreements, one naming the researcher, each with a release made by analyst-2 (so that analyst may review).
  const release = async (id: string, researchers: string[]) => {
    const json = { payload: JSON.stringify({ agreement: exampleAgreement(id), researchers }), headers: { 'content-type': 'application/json', ...bearerOf('analyst-2') } };
    expect((await s.app.inject({ method: 'POST', url: '/api/v1/agreements', ...json })).statusCode).toBe(201);
    return (await s.app.inject({ method: 'POST', url: `/api/v1/agreements/${id}/releases`, headers: bearerOf('analyst-2') })).json<{ release: number }>().release;
  };
  const ownRelease = await release('DARS-NIC-000001', ['researcher']);
  const otherRelease = await release('DARS-NIC-000002', ['researcher-2']);
  await s.jobs.idle();
  ids = { ownSubmission: own.id, otherSubmission: other.id, ownJob, otherJob, ownExtract, otherExtract, throwaway: [], ownRelease, otherRelease, agreements: 0 };
}, 120_000);
afterAll(() => stopServed(s, root));

const bearerOf = (who: string) => ({ authorization: `Bearer ${s.tokens[who]}` });

function withToken(who: string | null, extra: { payload?: unknown; headers?: Record<string, string> } = {}): Pick<InjectOptions, 'headers' | 'payload'> {
  return { headers: { ...(extra.headers ?? {}), ...(who ? { authorization: `Bearer ${s.tokens[who]}` } : {}) }, ...(extra.payload !== undefined ? { payload: extra.payload as InjectOptions['payload'] } : {}) };
}

type Side = 'own' | 'other';
interface Caller {
  user: string | null;
  role: string;
  /** The organisation codes of own and other for this caller. */
  org: (side: Side) => string;
}

const CALLERS: Caller[] = [
  { user: 'provider-A', role: 'provider', org: (side) => (side === 'own' ? s.providers[0] : s.providers[1]) },
  { user: 'commissioner-A', role: 'commissioner', org: (side) => (side === 'own' ? s.commissioners[0] : s.commissioners[1]) },
  ...['analyst', 'researcher', 'auditor', 'admin'].map((role) => ({ user: role, role, org: (side: Side) => (side === 'own' ? s.providers[0] : s.providers[1]) })),
  { user: null, role: 'none', org: (side: Side) => (side === 'own' ? s.providers[0] : s.providers[1]) },
];

interface RouteCase {
  request: (c: Caller, side: Side) => InjectOptions;
  /** Status by role for own / other organisation; a role not listed gets 403, no token 401 (public routes list 'none'). */
  allow: Record<string, { own: number; other: number }>;
}

const both = (status: number) => ({ own: status, other: status });
const json = (payload: unknown) => ({ payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });

const ROUTES: Record<string, RouteCase> = {
  'POST /api/v1/submissions': {
    request: (c, side) => ({ method: 'POST', url: `/api/v1/submissions?provider=${c.org(side)}`, ...withToken(c.user, multipartFile(s.zips[s.providers[0]]!)) }),
    allow: { provider: { own: 202, other: 403 } },
  },
  'GET /api/v1/submissions': { request: (c, side) => ({ method: 'GET', url: `/api/v1/submissions?provider=${c.org(side)}`, ...withToken(c.user) }), allow: { provider: { own: 200, other: 403 }, analyst: both(200) } },
  'GET /api/v1/submissions/{id}': {
    request: (c, side) => ({ method: 'GET', url: `/api/v1/submissions/${side === 'own' ? ids.ownSubmission : ids.otherSubmission}`, ...withToken(c.user) }),
    allow: { provider: { own: 200, other: 404 }, analyst: both(200) },
  },
  'GET /api/v1/submissions/{id}/report': {
    request: (c, side) => ({ method: 'GET', url: `/api/v1/submissions/${side === 'own' ? ids.ownSubmission : ids.otherSubmission}/report?format=json`, ...withToken(c.user) }),
    allow: { provider: { own: 200, other: 404 } },
  },
  'GET /api/v1/jobs/{id}': {
    request: (c, side) => ({ method: 'GET', url: `/api/v1/jobs/${side === 'own' ? ids.ownJob : ids.otherJob}`, ...withToken(c.user) }),
    // A commissioner reaches only jobs a commissioner asked for (these are providers').
    allow: { provider: { own: 200, other: 404 }, commissioner: both(404), analyst: both(200), admin: both(200) },
  },
  'GET /api/v1/extracts/provider': {
    request: (c, side) => ({ method: 'GET', url: `/api/v1/extracts/provider?period=${PERIOD}&provider=${c.org(side)}`, ...withToken(c.user) }),
    allow: { provider: { own: 200, other: 404 } },
  },
  'POST /api/v1/extracts/provider': {
    request: (c, side) => ({ method: 'POST', url: `/api/v1/extracts/provider?period=${PERIOD}&provider=${c.org(side)}`, ...withToken(c.user) }),
    allow: { provider: { own: 202, other: 404 } },
  },
  'GET /api/v1/extracts/commissioner': {
    request: (c, side) => ({ method: 'GET', url: `/api/v1/extracts/commissioner?period=${PERIOD}&commissioner=${c.org(side)}`, ...withToken(c.user) }),
    allow: { commissioner: { own: 200, other: 403 } },
  },
  'POST /api/v1/extracts/commissioner': {
    request: (c, side) => ({ method: 'POST', url: `/api/v1/extracts/commissioner?period=${PERIOD}&commissioner=${c.org(side)}`, ...withToken(c.user) }),
    allow: { commissioner: { own: 202, other: 403 } },
  },
  'GET /api/v1/extracts/files/{id}': {
    request: (c, side) => ({ method: 'GET', url: `/api/v1/extracts/files/${side === 'own' ? ids.ownExtract : ids.otherExtract}`, ...withToken(c.user) }),
    // Both are providers' extract jobs: a commissioner is not shown they exist.
    allow: { provider: { own: 200, other: 404 }, commissioner: both(404) },
  },
  'POST /api/v1/processing': { request: (c) => ({ method: 'POST', url: '/api/v1/processing', ...withToken(c.user, json({ period: PERIOD })) }), allow: { analyst: both(202) } },
  'POST /api/v1/publications': { request: (c) => ({ method: 'POST', url: '/api/v1/publications', ...withToken(c.user, json({ period: PERIOD })) }), allow: { analyst: both(202) } },
  'GET /api/v1/data-quality': { request: (c) => ({ method: 'GET', url: `/api/v1/data-quality?period=${PERIOD}`, ...withToken(c.user) }), allow: { analyst: both(200) } },
  'GET /api/v1/published': { request: (c) => ({ method: 'GET', url: '/api/v1/published', ...withToken(c.user) }), allow: Object.fromEntries(CALLERS_ROLES().map((r) => [r, both(200)])) },
  'GET /api/v1/published/{period}/{file}': {
    request: (c) => ({ method: 'GET', url: `/api/v1/published/${PERIOD}/no-such-file.csv`, ...withToken(c.user) }),
    allow: Object.fromEntries(CALLERS_ROLES().map((r) => [r, both(404)])),
  },
  'GET /api/v1/users': { request: (c) => ({ method: 'GET', url: '/api/v1/users', ...withToken(c.user) }), allow: { admin: both(200) } },
  'POST /api/v1/users': { request: (c) => ({ method: 'POST', url: '/api/v1/users', ...withToken(c.user, json({ name: `made-by-${c.role}`, role: 'analyst', org: null })) }), allow: { admin: both(201) } },
  'DELETE /api/v1/users/{id}': { request: (c) => ({ method: 'DELETE', url: `/api/v1/users/${ids.throwaway.pop() ?? 1}`, ...withToken(c.user) }), allow: { admin: both(204) } },
  'GET /api/v1/commissioner-approvals': { request: (c) => ({ method: 'GET', url: '/api/v1/commissioner-approvals', ...withToken(c.user) }), allow: { admin: both(200) } },
  'POST /api/v1/commissioner-approvals': {
    request: (c, side) => ({ method: 'POST', url: '/api/v1/commissioner-approvals', ...withToken(c.user, json({ commissioner: 'X1Y', reference: `ref-${c.role}-${side}-${Math.random()}`, expiresOn: '2030-01-01' })) }),
    allow: { admin: both(201) },
  },
  'POST /api/v1/agreements': {
    request: (c) => ({ method: 'POST', url: '/api/v1/agreements', ...withToken(c.user, json({ agreement: exampleAgreement(`DARS-MATRIX-${++ids.agreements}`), researchers: ['researcher'] })) }),
    allow: { analyst: both(201) },
  },
  'GET /api/v1/agreements': { request: (c) => ({ method: 'GET', url: '/api/v1/agreements', ...withToken(c.user) }), allow: { analyst: both(200) } },
  'POST /api/v1/agreements/{id}/releases': { request: (c) => ({ method: 'POST', url: '/api/v1/agreements/DARS-NIC-000001/releases', ...withToken(c.user) }), allow: { analyst: both(202) } },
  'GET /api/v1/releases': { request: (c) => ({ method: 'GET', url: '/api/v1/releases', ...withToken(c.user) }), allow: { analyst: both(200), researcher: both(200) } },
  'GET /api/v1/releases/{id}': {
    request: (c, side) => ({ method: 'GET', url: `/api/v1/releases/${side === 'own' ? ids.ownRelease : ids.otherRelease}`, ...withToken(c.user) }),
    allow: { analyst: both(200), researcher: { own: 200, other: 404 } },
  },
  'POST /api/v1/releases/{id}/reviews': {
    request: (c, side) => ({ method: 'POST', url: `/api/v1/releases/${side === 'own' ? ids.ownRelease : ids.otherRelease}/reviews`, ...withToken(c.user, json({ decision: 'reject' })) }),
    allow: { analyst: both(201) },
  },
  'GET /api/v1/releases/{id}/files/{name}': {
    request: (c, side) => ({ method: 'GET', url: `/api/v1/releases/${side === 'own' ? ids.ownRelease : ids.otherRelease}/files/manifest.json`, ...withToken(c.user) }),
    // Not approved (analyst rejects it above, and two approvals are needed): the named researcher is refused, another is not told it exists.
    allow: { researcher: { own: 403, other: 404 } },
  },
  'GET /api/v1/figures/provider': {
    request: (c, side) => ({ method: 'GET', url: `/api/v1/figures/provider?period=${PERIOD}&provider=${c.org(side)}`, ...withToken(c.user) }),
    allow: { provider: { own: 200, other: 403 } },
  },
  'GET /api/v1/calendar/{period}': { request: (c) => ({ method: 'GET', url: `/api/v1/calendar/${PERIOD}`, ...withToken(c.user) }), allow: Object.fromEntries(CALLERS_ROLES().map((r) => [r, both(200)])) },
  'PUT /api/v1/calendar/{period}': {
    request: (c) => ({ method: 'PUT', url: '/api/v1/calendar/2031-01', ...withToken(c.user, json({ primary: ['2031-02-01', '2031-02-24'], refresh: ['2031-03-03', '2031-03-25'] })) }),
    allow: { admin: both(200) },
  },
  'GET /api/v1/audit': { request: (c) => ({ method: 'GET', url: '/api/v1/audit?limit=5', ...withToken(c.user) }), allow: { auditor: both(200) } },
  'GET /api/v1/continuity': { request: (c, side) => ({ method: 'GET', url: `/api/v1/continuity?provider=${c.org(side)}`, ...withToken(c.user) }), allow: { provider: { own: 200, other: 403 }, analyst: both(200) } },
  'GET /api/v1/me': { request: (c) => ({ method: 'GET', url: '/api/v1/me', ...withToken(c.user) }), allow: Object.fromEntries(CALLERS_ROLES().filter((r) => r !== 'none').map((r) => [r, both(200)])) },
  'GET /api/v1/audit/verify': { request: (c) => ({ method: 'GET', url: '/api/v1/audit/verify', ...withToken(c.user) }), allow: { auditor: both(200) } },
};

function CALLERS_ROLES(): string[] {
  return ['provider', 'commissioner', 'analyst', 'researcher', 'auditor', 'admin', 'none'];
}

describe('the authorisation matrix', () => {
  it('covers every route of the OpenAPI document', async () => {
    const doc = (await s.app.inject({ method: 'GET', url: '/openapi.json' })).json<{ paths: Record<string, Record<string, unknown>> }>();
    const documented = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual(Object.keys(ROUTES).sort());
  });

  for (const [route, rc] of Object.entries(ROUTES)) {
    it(`${route}: every role, own and other organisation, and no token`, async () => {
      const got: string[] = [];
      const want: string[] = [];
      for (const c of CALLERS) {
        for (const side of ['own', 'other'] as const) {
          if (route === 'DELETE /api/v1/users/{id}' && c.role === 'admin') {
            const made = await s.app.inject({ method: 'POST', url: '/api/v1/users', ...withToken('admin', json({ name: `throwaway-${side}`, role: 'analyst', org: null })) });
            ids.throwaway.push(made.json<{ id: number }>().id);
          }
          const res = await s.app.inject(rc.request(c, side));
          const expected = rc.allow[c.role]?.[side] ?? (c.user === null ? 401 : 403);
          got.push(`${c.role}/${side}: ${res.statusCode}`);
          want.push(`${c.role}/${side}: ${expected}`);
          if (c.user === 'provider-A') expect(res.body.includes(s.providers[1]), `${route} as provider A (${side}) mentions provider ${s.providers[1]}`).toBe(false);
        }
      }
      expect(got).toEqual(want);
    }, 60_000);
  }
});

describe('scoping of what is returned', () => {
  it("a provider's list holds its own submissions only, also when it names no provider", async () => {
    const res = await s.app.inject({ method: 'GET', url: '/api/v1/submissions', ...withToken('provider-A') });
    const rows = res.json<{ submissions: { provider: string }[] }>().submissions;
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.provider))).toEqual(new Set([s.providers[0]]));
  });

  it("a commissioner's extract holds only its own code, and a commissioner without an approval on record is refused", async () => {
    const ok = await s.app.inject({ method: 'GET', url: `/api/v1/extracts/commissioner?period=${PERIOD}`, ...withToken('commissioner-A') });
    expect(ok.statusCode).toBe(200);
    const [header, ...lines] = ok.body.trim().split('\n');
    const at = header!.split(',').indexOf('OrgIDComm');
    expect(lines.length).toBeGreaterThan(0);
    expect(new Set(lines.map((l) => l.split(',')[at]))).toEqual(new Set([s.commissioners[0]]));
    for (const c of ['NHSNumber', 'LocalPatientId', 'ServiceRequestId', 'PersonBirthDate', 'Postcode']) expect(header!.split(',')).not.toContain(c);
    const refused = await s.app.inject({ method: 'GET', url: `/api/v1/extracts/commissioner?period=${PERIOD}`, ...withToken('commissioner-B') });
    expect(refused.statusCode).toBe(403);
    expect(refused.json<{ detail: string }>().detail).toMatch(/no approved access agreement is on record/);
  });

  it("a commissioner's extract job: its file for that commissioner only, and only while its approval is in force", async () => {
    const asked = await s.app.inject({ method: 'POST', url: `/api/v1/extracts/commissioner?period=${PERIOD}`, ...withToken('commissioner-A') });
    expect(asked.statusCode).toBe(202);
    const { job, file } = asked.json<{ job: { id: string }; file: string }>();
    await s.jobs.idle();
    const state = await s.app.inject({ method: 'GET', url: `/api/v1/jobs/${job.id}`, ...withToken('commissioner-A') });
    expect(state.json()).toMatchObject({ kind: 'extract', status: 'succeeded', org: s.commissioners[0], result: { status: 'written', releaseKind: 'commissioner' } });
    const got = await s.app.inject({ method: 'GET', url: file, ...withToken('commissioner-A') });
    expect(got.statusCode).toBe(200);
    expect(got.headers['x-iapt-sha256']).toBe(state.json<{ result: { sha256: string } }>().result.sha256);
    const at = got.body.split('\n')[0]!.split(',').indexOf('OrgIDComm');
    expect(new Set(got.body.trim().split('\n').slice(1).map((l) => l.split(',')[at]))).toEqual(new Set([s.commissioners[0]]));
    // Another commissioner and a provider are not shown it exists.
    for (const who of ['commissioner-B', 'provider-A']) expect((await s.app.inject({ method: 'GET', url: file, ...withToken(who) })).statusCode).toBe(404);
    // The approval revoked after the job was asked for: the file is refused.
    const revoke = async (at: string | null) => {
      const catalog = await Catalog.open(s.data, { waitMs: 10_000 });
      try {
        await catalog.exec('UPDATE commissioner_approvals SET revoked_at = CAST($1 AS TIMESTAMP) WHERE commissioner = $2', [at, s.commissioners[0]]);
      } finally {
        catalog.close();
      }
    };
    await revoke('2026-01-01 00:00:00');
    try {
      const refused = await s.app.inject({ method: 'GET', url: file, ...withToken('commissioner-A') });
      expect(refused.statusCode).toBe(403);
      expect(refused.json<{ detail: string }>().detail).toMatch(/no approved access agreement is on record/);
    } finally {
      await revoke(null);
    }
  });

  it('a GET of an extract whose job outlasts the wait answers 202 with the job, whose file then follows', async () => {
    const impatient = await buildServer({ dataDir: s.data, databaseUrl: null, referenceDir: join(s.synth, 'reference'), config: { ...readConfig({}), pseudoKey: KEY }, uploadLimit: 1024, jobs: s.jobs, extractWaitMs: 0 }, { rateLimit: 100_000 });
    try {
      const res = await impatient.inject({ method: 'GET', url: `/api/v1/extracts/provider?period=${PERIOD}`, ...withToken('provider-A') });
      expect(res.statusCode).toBe(202);
      const { job, file } = res.json<{ job: { id: string; kind: string }; file: string }>();
      expect(res.headers.location).toBe(`/api/v1/jobs/${job.id}`);
      expect(job.kind).toBe('extract');
      await s.jobs.idle();
      const got = await s.app.inject({ method: 'GET', url: file, ...withToken('provider-A') });
      expect(got.statusCode).toBe(200);
      expect(got.body.split('\n')[0]).toMatch(/ServiceRequestId/);
    } finally {
      await impatient.close();
    }
  });

  it('answers a bad or revoked token with 401 and a problem document, never a stack', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/api/v1/submissions', headers: { authorization: 'Bearer iapt_not-a-token' } });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 401, title: 'Unauthorised' });
    expect(res.body).not.toMatch(/at .*\.ts:\d+/);
  });
});
