// `iapt users add|list|revoke` and `iapt audit verify|list` (issue 17), through the CLI entry point: a token is
// printed once and never again (nor its hash), bad roles and organisations are usage errors, and `audit verify`
// exits 0 on an intact trail and 1 naming the first bad row.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, principalOfToken } from '../../src/store/access.js';
import { Catalog } from '../../src/store/catalog.js';
import { run } from '../helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'iapt-users-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const data = join(root, 'iapt-data');

async function withCatalog<T>(work: (catalog: Catalog) => Promise<T>): Promise<T> {
  const catalog = await Catalog.open(data);
  try {
    return await work(catalog);
  } finally {
    await catalog.close();
  }
}

beforeAll(async () => {
  await (await Catalog.open(data, { create: true })).close(); // a data directory, as the first submit makes it
});

describe('iapt users', () => {
  let token = '';

  it('adds a user and prints its token once, with a warning', async () => {
    const r = await run('users', 'add', '--data', data, '--name', 'RA1 upload client', '--role', 'provider', '--org', 'ra1');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    token = /^(iapt_[A-Za-z0-9_-]{43})$/m.exec(r.out)?.[1] ?? '';
    expect(token).not.toBe('');
    expect(r.out).toContain('Added user 1: RA1 upload client (provider, RA1)');
    expect(r.out).toContain('This token will not be shown again');
    expect(await withCatalog((c) => principalOfToken(c, token))).toEqual({ userId: 1, name: 'RA1 upload client', role: 'provider', org: 'RA1', via: 'token' });
  });

  it('lists users without tokens or their hashes', async () => {
    expect((await run('users', 'add', '--data', data, '--name', 'auditor', '--role', 'auditor')).code).toBe(0);
    const hash = createHash('sha256').update(token).digest('hex');
    const text = await run('users', 'list', '--data', data);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^\s+1\s+RA1 upload client\s+provider\s+RA1\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\s*$/m);
    expect(text.out).toMatch(/^\s+2\s+auditor\s+auditor\s+/m);
    expect(text.out).toContain('2 users, 2 active');
    const json = await run('users', 'list', '--data', data, '--json');
    expect(JSON.parse(json.out)).toMatchObject([{ id: 1, name: 'RA1 upload client', role: 'provider', org: 'RA1', revokedAt: null }, { id: 2, role: 'auditor', org: null }]);
    for (const out of [text.out, json.out]) {
      expect(out).not.toContain(token);
      expect(out).not.toContain(token.slice(5, 20));
      expect(out).not.toContain(hash.slice(0, 16));
    }
  });

  it('refuses a bad role, a missing organisation and an organisation for a national role (exit 2)', async () => {
    const cases: [string[], RegExp][] = [
      [['--name', 'x', '--role', 'wizard'], /role "wizard" is not one of provider, commissioner, analyst, researcher, auditor, admin/],
      [['--name', 'x', '--role', 'provider'], /the provider role acts for one organisation: give its ODS code \(--org CODE\)/],
      [['--name', 'x', '--role', 'analyst', '--org', 'RA1'], /the analyst role is national and has no organisation: leave out --org/],
      [['--name', 'x', '--role', 'commissioner', '--org', 'not a code'], /3 to 5 letters or digits/],
    ];
    for (const [args, message] of cases) {
      const r = await run('users', 'add', '--data', data, ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.out).toBe('');
    }
    expect((await run('users', 'add', '--data', data, '--role', 'admin')).code).toBe(2); // no --name
  });

  it('revokes a user: its token stops working', async () => {
    const r = await run('users', 'revoke', '1', '--data', data);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Revoked user 1 (RA1 upload client): its token no longer works');
    expect(await withCatalog((c) => principalOfToken(c, token))).toBeNull();
    expect((await run('users', 'revoke', '1', '--data', data)).out).toContain('was already revoked');
    expect((await run('users', 'list', '--data', data)).out).toContain('2 users, 1 active');
    const unknown = await run('users', 'revoke', '99', '--data', data);
    expect(unknown.code).toBe(3);
    expect(unknown.err).toContain('there is no user 99');
    expect((await run('users', 'revoke', 'abc', '--data', data)).code).toBe(2);
  });

  it('needs an existing data directory (exit 3)', async () => {
    const r = await run('users', 'add', '--data', join(root, 'none'), '--name', 'x', '--role', 'admin');
    expect(r.code).toBe(3);
    expect(r.err).toContain('no data directory at');
    expect((await run('audit', 'verify', '--data', join(root, 'none'))).code).toBe(3);
  });
});

describe('iapt audit', () => {
  it('verifies an intact trail (exit 0), lists it, and names the first bad row of a tampered one (exit 1)', async () => {
    // The users commands above recorded their changes: two adds and a revoke.
    await withCatalog(async (c) => {
      for (let i = 1; i <= 5; i++) await appendAudit(c, { requestId: `req-${i}`, actor: 'RA1 upload client', role: 'provider', org: 'RA1', action: 'POST /submissions', object: `submission:${i}`, outcome: '202' });
    });
    const intact = await run('audit', 'verify', '--data', data);
    expect(intact.code).toBe(0);
    expect(intact.out).toMatch(/^audit trail intact: 8 rows, head [0-9a-f]{64}\n$/);

    const listed = await run('audit', 'list', '--data', data, '--limit', '6');
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/^\s+3\s+\S+ \S+\s+cli:\S+ \(admin\)\s+users\.revoke\s+user:1\s+ok\s+\[cli-[0-9a-f-]{36}\]$/m);
    expect(listed.out).toContain('6 rows');
    const json = JSON.parse((await run('audit', 'list', '--data', data, '--json', '--after', '3', '--limit', '2')).out) as { seq: number; object: string }[];
    expect(json.map((r) => [r.seq, r.object])).toEqual([
      [4, 'submission:1'],
      [5, 'submission:2'],
    ]);
    expect((await run('audit', 'list', '--data', data, '--limit', '0')).code).toBe(2);

    await withCatalog((c) => c.exec(`UPDATE audit_log SET outcome = '200' WHERE seq = 6`));
    const tampered = await run('audit', 'verify', '--data', data);
    expect(tampered.code).toBe(1);
    expect(tampered.out).toBe('');
    expect(tampered.err).toBe('iapt: audit trail NOT intact: first bad row 6: row 6 does not match its hash: its content was changed after it was written (5 rows intact before it)\n');
  });
});
