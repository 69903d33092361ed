// What `iapt serve` answers at /: a built static hub folder (`--hub DIR`, `iapt hub build`), or a redirect to the
// portal. The hub's files are public, like the published statistics they are made from.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
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
    if (hubDir === undefined) {
      scope.get('/', async (_request, reply) => reply.code(302).header('location', `${PORTAL}/`).send());
      return;
    }
    const root = resolve(hubDir);
    if (!existsSync(root)) throw new IaptError('usage', `--hub: no folder ${hubDir} (build one with iapt hub build)`);
    await scope.register(fastifyStatic, { root, prefix: '/', index: ['index.html'], wildcard: true });
  });
}
