// A throwaway PostgreSQL server, for the tests (test/helpers/postgres.ts) and the service benchmark
// (bench/service-month.js): a cluster made with the system's initdb and pg_ctl in a temporary folder, listening on a
// free loopback port only, with trust authentication, stopped and removed again afterwards (also when starting it
// fails, and when the process exits without stopping it). Plain ESM with JSDoc types (declarations in
// postgres-cluster.d.mts), so that the benchmark can use it from plain JavaScript on dist/ and the tests from
// TypeScript.
//
// Debian's `postgresql` package keeps initdb and pg_ctl in /usr/lib/postgresql/<version>/bin, off PATH; the
// highest version there is used. initdb refuses to run as root, so as root the cluster is made and run as the
// `postgres` user (runuser), in a folder handed to that user. The system's own clusters are never touched.
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
const PG_LIB = '/usr/lib/postgresql';

/**
 * @typedef {object} Postgres
 * @property {string} url A superuser's URL of the server's `postgres` database (make one per use with freshDatabase).
 * @property {() => Promise<void>} stop Stops the cluster and removes its folder (nothing for a server given by URL).
 */

/**
 * @typedef {object} StartOptions
 * @property {string} [existingUrlVariable] An environment variable that may name a server to use instead: when it is
 *   set (and not blank), no cluster is made and its URL is returned as is (e.g. IAPT_TEST_DATABASE_URL).
 * @property {boolean} [durable] Keep PostgreSQL's durability settings (fsync, synchronous_commit, full_page_writes on),
 *   as a production server has them; by default they are off (a throwaway server for tests).
 * @property {Record<string, string | number>} [settings] Further server settings (`-c name=value`), e.g. max_connections.
 */

/**
 * The bin folder of the highest PostgreSQL version installed the Debian way, or null.
 * @returns {string | null}
 */
export function postgresBin() {
  if (!existsSync(PG_LIB)) return null;
  const versions = readdirSync(PG_LIB)
    .filter((v) => /^\d+(\.\d+)?$/.test(v) && existsSync(join(PG_LIB, v, 'bin', 'initdb')) && existsSync(join(PG_LIB, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(PG_LIB, versions[0], 'bin') : null;
}

/**
 * A TCP port free on the loopback address now (another process may take it before it is used).
 * @returns {Promise<number>}
 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

/**
 * Starts a throwaway cluster (or returns the server named by `options.existingUrlVariable`).
 * @param {StartOptions} [options]
 * @returns {Promise<Postgres>}
 */
export async function startPostgres(options = {}) {
  const variable = options.existingUrlVariable;
  const given = variable ? process.env[variable] : undefined;
  if (given && given.trim() !== '') return { url: given.trim(), stop: async () => undefined };
  const bin = postgresBin();
  if (!bin) {
    throw new Error(
      `PostgreSQL's initdb and pg_ctl were not found in ${PG_LIB}/<version>/bin: install Debian's postgresql package ` +
        `(apt-get install postgresql; .ci/run does this when initdb is missing)${variable ? `, or set ${variable} to a server that may be used` : ''}`,
    );
  }
  // initdb refuses root: as root, the cluster belongs to the postgres user.
  const asRoot = userInfo().uid === 0;
  const owner = asRoot ? spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }) : null;
  if (owner && owner.status !== 0) throw new Error("running as root, but there is no postgres user to run the throwaway PostgreSQL cluster as (install Debian's postgresql package)");
  const uid = owner ? Number(owner.stdout.trim()) : userInfo().uid;
  const gid = owner ? Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim()) : userInfo().gid;
  /** @param {string} tool @param {string[]} args */
  const exec = (tool, args) => (asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]) : run(join(bin, tool), args));

  const root = mkdtempSync(join(tmpdir(), 'iapt-pg-'));
  const data = join(root, 'data');
  const socket = join(root, 'socket');
  const log = join(root, 'server.log');
  let started = false;
  const stopNow = () => {
    // Synchronous, so that it also runs from the exit handler.
    if (started) {
      const args = ['-D', data, '-m', 'immediate', '-w', 'stop'];
      if (asRoot) spawnSync('runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl'), ...args], { stdio: 'ignore' });
      else spawnSync(join(bin, 'pg_ctl'), args, { stdio: 'ignore' });
      started = false;
    }
    rmSync(root, { recursive: true, force: true });
  };
  process.once('exit', stopNow);
  try {
    mkdirSync(socket);
    chmodSync(root, 0o700);
    if (asRoot) for (const path of [root, socket]) chownSync(path, uid, gid);
    await exec('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']);
    // Loopback only, its socket in its own folder; for tests, durability off.
    const settings = { ...(options.durable ? {} : { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' }), ...(options.settings ?? {}) };
    for (const [name, value] of Object.entries(settings)) {
      if (!/^\w+$/.test(name) || !/^[\w.-]+$/.test(String(value))) throw new Error(`not a plain server setting: ${name}=${value}`);
    }
    const extra = Object.entries(settings).map(([name, value]) => ` -c ${name}=${value}`).join('');
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const serverOptions = `-c listen_addresses=127.0.0.1 -p ${port} -c unix_socket_directories=${socket}${extra}`;
      try {
        started = true;
        await exec('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '60', '-o', serverOptions, 'start']);
        return {
          url: `postgres://postgres@127.0.0.1:${port}/postgres`,
          stop: async () => {
            process.removeListener('exit', stopNow);
            stopNow();
          },
        };
      } catch (error) {
        // Another process may have taken the port between the probe and the start: try another one.
        const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
        if (attempt >= 3 || !/could not bind|address already in use/i.test(text)) {
          throw new Error(`the throwaway PostgreSQL cluster did not start: ${error instanceof Error ? error.message : String(error)}\n${text.slice(-2000)}`);
        }
      }
    }
  } catch (error) {
    process.removeListener('exit', stopNow);
    stopNow();
    throw error;
  }
}

/**
 * A new, empty database named `name` on the server (an earlier one of that name is dropped); returns its URL.
 * @param {string} url a superuser's URL of the server
 * @param {string} name a plain database name
 * @returns {Promise<string>}
 */
export async function freshDatabase(url, name) {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`not a plain database name: ${name}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const target = new URL(url);
  target.pathname = `/${name}`;
  return target.toString();
}
