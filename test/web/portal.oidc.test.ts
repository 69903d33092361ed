// Signing in to the portal through OpenID Connect: the authorisation code flow with PKCE against a small issuer
// made here (jose keys; node:http serving discovery, JWKS, an authorize endpoint that approves at once and a token
// endpoint that checks the code verifier against the challenge). The access token it issues then authenticates the
// portal's API calls by the API's own OIDC path.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/core/config.js';
import { buildServer } from '../../src/server/app.js';
import { InProcessQueue } from '../../src/server/jobs.js';
import { Catalog } from '../../src/store/catalog.js';
import { registerPortal } from '../../src/web/portal/index.js';

const PUBLIC_URL = 'https://portal.example.test';
const CLIENT_ID = 'iapt-portal';
const AUDIENCE = 'iapt-api';
const root = mkdtempSync(join(tmpdir(), 'iapt-portal-oidc-'));
let issuerServer: Server;
let issuer: string;
let app: FastifyInstance;
const seen: { challengeMethod?: string; verified?: boolean } = {};

async function startIssuer(): Promise<{ server: Server; issuer: string; jwk: JWK }> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const codes = new Map<string, { challenge: string; nonce: string; redirectUri: string }>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuerUrl());
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/.well-known/openid-configuration') {
      return send(200, {
        issuer: issuerUrl(),
        authorization_endpoint: `${issuerUrl()}/authorize`,
        token_endpoint: `${issuerUrl()}/token`,
        jwks_uri: `${issuerUrl()}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['none'],
      });
    }
    if (url.pathname === '/jwks') return send(200, { keys: [jwk] });
    if (url.pathname === '/authorize') {
      // Approves at once: the signed-in user is "alice", a provider of RA1.
      seen.challengeMethod = url.searchParams.get('code_challenge_method') ?? '';
      if (url.searchParams.get('client_id') !== CLIENT_ID || url.searchParams.get('response_type') !== 'code') return send(400, { error: 'invalid_request' });
      const code = randomBytes(16).toString('hex');
      codes.set(code, { challenge: url.searchParams.get('code_challenge') ?? '', nonce: url.searchParams.get('nonce') ?? '', redirectUri: url.searchParams.get('redirect_uri') ?? '' });
      const back = new URL(url.searchParams.get('redirect_uri')!);
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      res.writeHead(302, { location: back.href });
      return res.end();
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        void (async () => {
          const form = new URLSearchParams(body);
          const grant = codes.get(form.get('code') ?? '');
          codes.delete(form.get('code') ?? '');
          const verifier = form.get('code_verifier') ?? '';
          seen.verified = grant !== undefined && createHash('sha256').update(verifier).digest('base64url') === grant.challenge;
          if (!grant || !seen.verified || form.get('redirect_uri') !== grant.redirectUri) return send(400, { error: 'invalid_grant' });
          const sign = (claims: Record<string, unknown>, audience: string) =>
            new SignJWT({ iapt_role: 'provider', iapt_org: 'RA1', ...claims }).setProtectedHeader({ alg: 'RS256', kid: 'test-key' }).setIssuer(issuerUrl()).setSubject('alice').setAudience(audience).setIssuedAt().setExpirationTime('5m').sign(privateKey);
          send(200, { token_type: 'Bearer', expires_in: 300, access_token: await sign({}, AUDIENCE), id_token: await sign({ nonce: grant.nonce }, CLIENT_ID) }, { 'cache-control': 'no-store' });
        })();
      });
      return;
    }
    send(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  function issuerUrl() {
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  return { server, issuer: issuerUrl(), jwk };
}

beforeAll(async () => {
  const started = await startIssuer();
  issuerServer = started.server;
  issuer = started.issuer;
  (await Catalog.open(root, { create: true })).close();
  const ctx = { dataDir: root, databaseUrl: null, config: readConfig({}), jobs: new InProcessQueue({} as never), uploadLimit: 1024 * 1024, oidc: { issuer, audience: AUDIENCE, jwks: { keys: [started.jwk as Record<string, unknown>] } } };
  app = await buildServer(ctx);
  await registerPortal(app, ctx, { oidc: { issuer, clientId: CLIENT_ID }, publicUrl: PUBLIC_URL });
});
afterAll(async () => {
  await app?.close();
  issuerServer?.close();
  rmSync(root, { recursive: true, force: true });
});

/** Starts the sign-in; the issuer's answer to the browser: the portal's callback URL and the pending-sign-in cookie. */
async function authorise(): Promise<{ callback: URL; pending: string }> {
  const start = await app.inject({ method: 'GET', url: '/portal/oidc/start' });
  expect(start.statusCode).toBe(303);
  const to = new URL(start.headers.location as string);
  expect(to.origin).toBe(issuer);
  expect(to.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
  const approved = await fetch(to, { redirect: 'manual' });
  return { callback: new URL(approved.headers.get('location')!), pending: start.cookies.find((c) => c.name === 'iapt_portal_oidc')!.value };
}

describe('OpenID Connect sign-in (authorisation code + PKCE)', () => {
  it('offers the organisation account instead of the token form', async () => {
    const r = await app.inject({ method: 'GET', url: '/portal/sign-in' });
    expect(r.body).toContain('href="/portal/oidc/start"');
    expect(r.body).not.toContain('API token');
  });

  it('signs in: the code and verifier are exchanged, and the access token authenticates the pages', async () => {
    const { callback, pending } = await authorise();
    expect(callback.origin + callback.pathname).toBe(`${PUBLIC_URL}/portal/oidc/callback`);
    const back = await app.inject({ method: 'GET', url: callback.pathname + callback.search, cookies: { iapt_portal_oidc: pending } });
    expect(back.statusCode, back.body).toBe(303);
    expect(seen).toEqual({ challengeMethod: 'S256', verified: true });
    const session = back.cookies.find((c) => c.name === 'iapt_portal_session')!;
    expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax' });
    const home = await app.inject({ method: 'GET', url: '/portal/', cookies: { iapt_portal_session: session.value } });
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('Welcome, alice (RA1)');
    expect(home.body).not.toContain('eyJ');
  });

  it('refuses a callback whose state or pending sign-in is not this browser’s', async () => {
    const { callback, pending } = await authorise();
    const forged = new URL(callback);
    forged.searchParams.set('state', 'forged');
    const r = await app.inject({ method: 'GET', url: forged.pathname + forged.search, cookies: { iapt_portal_oidc: pending } });
    expect(r.statusCode).toBe(401);
    expect(r.cookies.find((c) => c.name === 'iapt_portal_session')).toBeUndefined();
    const noCookie = await app.inject({ method: 'GET', url: callback.pathname + callback.search });
    expect(noCookie.statusCode).toBe(401);
  });
});
