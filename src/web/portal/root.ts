// What `iapt serve` answers at /: a built static hub folder (`--hub DIR`, `iapt hub build`), or a redirect to the
// portal. The hub's files are public, like the published statistics they are made from.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { IaptError } from '../../core/errors.js';
import { PORTAL } from './layout.js';

export async function registerRoot(app: FastifyInstance, hubDir?: string): Promise<void> {
  await app.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      route.config = { ...(route.config ?? {}), access: { public: true } };
      route.schema = { ...(route.schema ?? {}), hide: true };
    });
    // Browsers ask for /favicon.ico on pages that name no icon (the validation report): no content, rather than a 404.
    if (hubDir === undefined || !existsSync(join(resolve(hubDir), 'favicon.ico'))) scope.get('/favicon.ico', async (_request, reply) => reply.code(204).send());
    if (hubDir === undefined) {
      scope.get('/', async (_request, reply) => reply.code(302).header('location', `${PORTAL}/`).send());
      return;
    }
    const root = resolve(hubDir);
    if (!existsSync(root)) throw new IaptError('usage', `--hub: no folder ${hubDir} (build one with iapt hub build)`);
    await scope.register(fastifyStatic, { root, prefix: '/', index: ['index.html'], wildcard: true });
  });
}
