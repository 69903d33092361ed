// `iapt users add|list|revoke`: the service's users and their API tokens (docs/service.md). A token is printed once,
// by `add`; the catalog keeps only its hash, and nothing prints that either.
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { usageError } from '../../core/errors.js';
import { addUser, appendAudit, listUsers, localActor, revokeUser, type Role } from '../../store/access.js';
import { Catalog } from '../../store/catalog.js';
import type { Io } from '../io.js';
import { DATABASE_URL_OPTION, databaseUrlOf } from './submit.js';
import type { Config } from '../../core/config.js';

/** Opens a data directory's catalog for writing (waiting for another process's short catalog step); it must exist already. */
export async function withWritableCatalog<T>(dataDir: string, databaseUrl: string | null, work: (catalog: Catalog) => Promise<T>): Promise<T> {
  const catalog = await Catalog.open(dataDir, { waitMs: 60_000, databaseUrl });
  try {
    return await work(catalog);
  } finally {
    await catalog.close();
  }
}

/** Who ran the command, for the audit trail: the operating-system account. */
/** Records a change made from the command line in the audit trail (the admin role: whoever can run iapt on the data directory administers it). */
async function auditCli(catalog: Catalog, action: string, object: string): Promise<void> {
  await appendAudit(catalog, { requestId: `cli-${randomUUID()}`, actor: localActor(), role: 'admin', org: null, action, object, outcome: 'ok' });
}

function userIdArgument(value: string): number {
  if (!/^[1-9]\d{0,14}$/.test(value.trim())) throw usageError(`"${value}" is not a user id (a whole number from 1; iapt users list shows them)`);
  return Number(value.trim());
}

export function registerUsers(program: Command, io: Io, config: Config): void {
  const users = program.command('users').description('users of the service and their API tokens (only a hash of each token is kept)');
  users
    .command('add')
    .description('add a user with a new API token, printed once')
    .requiredOption('--data <dir>', 'data directory', config.dataDir)
    .option(...DATABASE_URL_OPTION)
    .requiredOption('--name <name>', 'who or what uses the token (a person or a machine client)')
    .requiredOption('--role <role>', 'provider, commissioner, analyst, researcher, auditor or admin')
    .option('--org <code>', 'ODS code of the organisation: required for provider and commissioner, none for analyst, auditor and admin')
    .action(async (opts: { data: string; databaseUrl?: string; name: string; role: string; org?: string }) => {
      await withWritableCatalog(opts.data, databaseUrlOf(opts.databaseUrl, config), async (catalog) => {
        const { id, token } = await addUser(catalog, { name: opts.name, role: opts.role as Role, org: opts.org ?? null });
        await auditCli(catalog, 'users.add', `user:${id}`);
        const [user] = (await listUsers(catalog)).filter((u) => u.id === id);
        io.out(`Added user ${id}: ${user!.name} (${user!.role}${user!.org ? `, ${user!.org}` : ''}). Its API token:\n\n${token}\n\n`);
        io.out('This token will not be shown again: give it to its user now (only its hash is kept). Lost? Revoke it and add the user again.\n');
      });
    });
  users
    .command('list')
    .description('every user, revoked ones included (never a token or its hash)')
    .requiredOption('--data <dir>', 'data directory', config.dataDir)
    .option(...DATABASE_URL_OPTION)
    .option('--json', 'JSON')
    .action(async (opts: { data: string; databaseUrl?: string; json?: boolean }) => {
      await withWritableCatalog(opts.data, databaseUrlOf(opts.databaseUrl, config), async (catalog) => {
        const rows = await listUsers(catalog);
        if (opts.json) {
          io.out(JSON.stringify(rows, null, 2) + '\n');
          return;
        }
        const nameWidth = Math.min(40, Math.max(4, ...rows.map((r) => r.name.length)));
        io.out(`${'id'.padStart(5)}  ${'name'.padEnd(nameWidth)}  role          org    created (UTC)        revoked (UTC)\n`);
        for (const r of rows) {
          io.out(`${String(r.id).padStart(5)}  ${r.name.padEnd(nameWidth)}  ${r.role.padEnd(12)}  ${(r.org ?? '').padEnd(5)}  ${r.createdAt.slice(0, 19).replace('T', ' ')}  ${r.revokedAt ? r.revokedAt.slice(0, 19).replace('T', ' ') : ''}\n`);
        }
        io.out(`${rows.length} users, ${rows.filter((r) => r.revokedAt === null).length} active\n`);
      });
    });
  users
    .command('revoke')
    .description('revoke a user: its token stops working at once')
    .argument('<id>', 'user id (iapt users list)')
    .requiredOption('--data <dir>', 'data directory', config.dataDir)
    .option(...DATABASE_URL_OPTION)
    .action(async (idText: string, opts: { data: string; databaseUrl?: string }) => {
      const id = userIdArgument(idText);
      await withWritableCatalog(opts.data, databaseUrlOf(opts.databaseUrl, config), async (catalog) => {
        const before = (await listUsers(catalog)).find((u) => u.id === id);
        await revokeUser(catalog, id);
        if (before?.revokedAt) {
          io.out(`User ${id} (${before.name}) was already revoked on ${before.revokedAt.slice(0, 19).replace('T', ' ')} UTC\n`);
          return;
        }
        await auditCli(catalog, 'users.revoke', `user:${id}`);
        io.out(`Revoked user ${id}${before ? ` (${before.name})` : ''}: its token no longer works\n`);
      });
    });
}
