// The service deployment's job queue: pg-boss (10.x, the last for Node 20) in the service's PostgreSQL. `iapt serve`
// sends jobs; any number of `iapt worker` processes, on any machines sharing the database and the storage folder,
// work them (each a set number of jobs of each kind at a time: work()). A worker killed mid-job leaves its job active until it expires, after which
// pg-boss retries it (retryLimit); the work is idempotent (a stored file is recognised by its sha256, processing and
// publication replace their output atomically), so a retried job stores nothing twice.
import pg from 'pg';
import PgBoss from 'pg-boss';
import { JOB_KINDS, type Job, type JobHandler, type JobKind, type JobOwner, type JobQueue, type JobStatus } from './jobs.js';

interface JobData {
  input: Record<string, string>;
  owner: JobOwner;
}

export interface PgQueueOptions {
  /** How long a job may stay active before it is taken to be lost (its worker died) and retried. */
  expireInSeconds?: number;
  retryLimit?: number;
  retryDelaySeconds?: number;
  /** How often pg-boss looks for expired jobs (its maintenance interval). */
  maintenanceIntervalSeconds?: number;
  /** How often an idle worker polls for work. */
  pollingIntervalSeconds?: number;
}

/** The advisory lock key of the queue's set-up (any fixed number no other lock of the database uses). */
const SETUP_LOCK = 0x1a9715e7;

async function whileLocked(databaseUrl: string, work: () => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [SETUP_LOCK]);
    await work();
  } finally {
    await client.end().catch(() => undefined); // ending the session releases the lock
  }
}

const STATUS: Record<string, JobStatus> = { created: 'queued', retry: 'queued', active: 'running', completed: 'succeeded', failed: 'failed', cancelled: 'failed' };

/** The API's job id names the queue too (pg-boss looks a job up by queue and id). */
const apiId = (kind: JobKind, id: string) => `${kind}.${id}`;

/**
 * The first line of a failed job's reason: pg-boss keeps a handler's error as the error object ({message, stack}),
 * and a job that expired while active (its worker died) as {value: {message}}.
 */
function firstLine(output: unknown): string | null {
  const messageOf = (o: unknown): string | null => (o && typeof o === 'object' && 'message' in o ? String((o as { message: unknown }).message) : null);
  const message = messageOf(output) ?? (output && typeof output === 'object' && 'value' in output ? messageOf((output as { value: unknown }).value) : null);
  return message ? message.split('\n')[0]! : null;
}

export class PgQueue implements JobQueue {
  private constructor(
    private readonly boss: PgBoss,
    private readonly options: PgQueueOptions,
  ) {}

  static async open(databaseUrl: string, options: PgQueueOptions = {}): Promise<PgQueue> {
    const boss = new PgBoss({ connectionString: databaseUrl, schema: 'iapt_jobs', maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 60 });
    boss.on('error', () => undefined); // reported through the jobs' own states; a lost connection is retried by pg-boss
    // `iapt serve` and workers started together on a new database would make pg-boss's schema and the queues side
    // by side and deadlock: one process at a time does it, under a session advisory lock.
    await whileLocked(databaseUrl, async () => {
      await boss.start();
      for (const kind of JOB_KINDS) {
        if (!(await boss.getQueue(kind))) await boss.createQueue(kind);
      }
    });
    return new PgQueue(boss, options);
  }

  async enqueue(kind: JobKind, input: Record<string, string>, owner: JobOwner): Promise<Job> {
    const id = await this.boss.send(kind, { input, owner } satisfies JobData, {
      retryLimit: this.options.retryLimit ?? 3,
      retryDelay: this.options.retryDelaySeconds ?? 5,
      expireInSeconds: this.options.expireInSeconds ?? 4 * 3600,
    });
    if (!id) throw new Error(`the job queue refused a ${kind} job`);
    return (await this.get(apiId(kind, id)))!;
  }

  async get(id: string): Promise<Job | null> {
    const dot = id.indexOf('.');
    const kind = id.slice(0, dot) as JobKind;
    if (dot < 0 || !JOB_KINDS.includes(kind)) return null;
    const job = await this.boss.getJobById<JobData>(kind, id.slice(dot + 1), { includeArchive: true }).catch(() => null);
    if (!job) return null;
    const status = STATUS[job.state] ?? 'queued';
    return {
      id,
      kind,
      status,
      owner: job.data.owner,
      input: job.data.input,
      createdAt: new Date(job.createdOn).toISOString(),
      startedAt: job.startedOn ? new Date(job.startedOn).toISOString() : null,
      finishedAt: job.completedOn ? new Date(job.completedOn).toISOString() : null,
      result: status === 'succeeded' ? ((job.output as Record<string, unknown>) ?? {}) : null,
      error: status === 'failed' ? firstLine(job.output) : null,
    };
  }

  async idle(): Promise<void> {
    for (;;) {
      let pending = 0;
      for (const kind of JOB_KINDS) pending += await this.boss.getQueueSize(kind, { before: 'completed' });
      if (pending === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /**
   * Works every kind of job with these handlers, until stop(): `concurrency[kind]` jobs of a kind at a time (default
   * one), each taken by a pg-boss worker of its own.
   */
  async work(handlers: Readonly<Record<JobKind, JobHandler>>, concurrency: Partial<Record<JobKind, number>> = {}): Promise<void> {
    for (const kind of JOB_KINDS) {
      for (let n = 0; n < (concurrency[kind] ?? 1); n++) {
        await this.boss.work<JobData>(kind, { batchSize: 1, pollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 2 }, async ([job]) => {
          const view = await this.get(apiId(kind, job!.id));
          const meta = await this.boss.getJobById(kind, job!.id);
          return handlers[kind]({ ...view!, status: 'running', lastAttempt: meta ? meta.retryCount >= meta.retryLimit : true });
        });
      }
    }
  }

  async stop(): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true, timeout: 30_000 });
  }
}
