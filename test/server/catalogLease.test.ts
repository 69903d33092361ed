// The embedded server's lingering catalog (src/server/catalogLease.ts): one open catalog lent to one piece of work
// at a time; given back as soon as a job of this process wants the file, before the lease's own queued work, and
// after LINGER_MS unused.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogLease, LINGER_MS } from '../../src/server/catalogLease.js';
import { Catalog } from '../../src/store/catalog.js';

const root = mkdtempSync(join(tmpdir(), 'iapt-lease-'));
const data = join(root, 'data');
beforeAll(async () => {
  await (await Catalog.open(data, { create: true, databaseUrl: null })).close();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('CatalogLease', () => {
  it('lends one open catalog to work after work, one at a time', async () => {
    const lease = new CatalogLease(data);
    let running = 0;
    let most = 0;
    const seen = await Promise.all(
      [1, 2, 3].map(() =>
        lease.use(async (catalog) => {
          most = Math.max(most, ++running);
          await new Promise((r) => setTimeout(r, 20));
          running -= 1;
          return catalog;
        }),
      ),
    );
    await lease.close();
    expect(most).toBe(1);
    expect(new Set(seen).size).toBe(1);
  });

  it("gives the file to a job of this process that wants it, before the lease's next work", async () => {
    const lease = new CatalogLease(data);
    const order: string[] = [];
    let finishFirst!: () => void;
    let firstStarted!: () => void;
    const started = new Promise<void>((r) => (firstStarted = r));
    const first = lease.use(async (catalog) => {
      firstStarted();
      await new Promise<void>((r) => (finishFirst = r));
      return catalog;
    });
    await started; // the first work holds the catalog
    const job = Catalog.open(data, { databaseUrl: null }).then(async (c) => {
      order.push('job');
      await c.close();
    });
    const second = lease.use(async (catalog) => {
      order.push('lease');
      return catalog;
    });
    finishFirst();
    const [a, b] = await Promise.all([first, second, job]);
    await lease.close();
    expect(order).toEqual(['job', 'lease']);
    expect(b).not.toBe(a); // reopened after the job
  });

  it(`closes the catalog after ${LINGER_MS} ms unused`, async () => {
    const lease = new CatalogLease(data);
    const a = await lease.use(async (c) => c);
    const b = await lease.use(async (c) => c);
    await new Promise((r) => setTimeout(r, LINGER_MS + 200));
    const c = await lease.use(async (x) => x);
    await lease.close();
    expect(b).toBe(a);
    expect(c).not.toBe(a);
  });

  it('refuses work once closed, and a failed work does not stop the next', async () => {
    const lease = new CatalogLease(data);
    await expect(lease.use(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await lease.use(async () => 'next')).toBe('next');
    await lease.close();
    await expect(lease.use(async () => 1)).rejects.toThrow(/closing/);
  });
});
