// `npm start` (iapt demo --serve): after the demo pipeline, the demo's data directory served embedded on
// http://127.0.0.1:PORT — the data hub at /, the portal at /portal/, the API at /api/v1 — with one demo user per
// kind of caller, whose API tokens are printed for signing in to the portal. Ctrl-C stops it.
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../core/config.js';
import { IaptError } from '../../core/errors.js';
import { addUser } from '../../store/access.js';
import { recordApproval } from '../../store/approvals.js';
import { Catalog } from '../../store/catalog.js';
import type { Io } from '../io.js';
import { serverModules } from './serve.js';

export interface DemoServeOptions {
  dataDir: string;
  referenceDir: string;
  /** The demo's publication folder: copied into the data directory's published/<period>/, where the API serves it. */
  publication: string;
  period: string;
  hub: string | null;
  provider: string;
  commissioner: string;
  port: number;
}

export async function serveDemo(options: DemoServeOptions, io: Io, config: Config): Promise<void> {
  const published = join(options.dataDir, 'published', options.period);
  if (!existsSync(published)) cpSync(options.publication, published, { recursive: true });
  const users: [string, 'provider' | 'commissioner' | 'analyst', string | null][] = [
    [`demo provider ${options.provider}`, 'provider', options.provider],
    [`demo commissioner ${options.commissioner}`, 'commissioner', options.commissioner],
    ['demo analyst', 'analyst', null],
  ];
  const tokens: string[] = [];
  const catalog = await Catalog.open(options.dataDir, { waitMs: 10_000, databaseUrl: null });
  try {
    for (const [name, role, org] of users) tokens.push((await addUser(catalog, { name, role, org })).token);
    await recordApproval(catalog, { commissioner: options.commissioner, reference: 'DEMO-DSA-1 (synthetic data)', approvedBy: 'demo', expiresOn: '2099-12-31' });
  } finally {
    await catalog.close();
  }

  const { buildServer, jobHandlers, InProcessQueue, registerPortal, registerRoot } = await serverModules();
  const base = { dataDir: options.dataDir, databaseUrl: null, referenceDir: options.referenceDir, config, uploadLimit: 512 * 1024 * 1024 };
  const ctx = { ...base, jobs: new InProcessQueue(jobHandlers(base)) };
  const app = await buildServer(ctx);
  await registerPortal(app, ctx);
  await registerRoot(app, options.hub ?? undefined);
  const address = await app.listen({ port: options.port, host: '127.0.0.1' }).catch(async (error: unknown) => {
    await app.close();
    if ((error as { code?: string }).code === 'EADDRINUSE') throw new IaptError('busy', `port ${options.port} is in use on 127.0.0.1: stop what uses it, or give the demo another (--port)`);
    throw error;
  });
  io.out(
    `\n7. Serving the demo (iapt serve --data ${options.dataDir}${options.hub ? ` --hub ${options.hub}` : ''}) on ${address}\n` +
      (options.hub ? `   Data hub (public):        ${address}/\n` : '') +
      `   Portal:                   ${address}/portal/  — sign in with one of these API tokens (synthetic data; made for this run):\n` +
      users.map(([name], i) => `     ${name.padEnd(30)} ${tokens[i]}\n`).join('') +
      `   API and its documentation: ${address}/docs\n` +
      `   Press Ctrl-C to stop.\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => void app.close().then(() => resolve());
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  io.out('   Stopped.\n');
}
