// Jobs: every piece of work the API starts (a submitted file, a processing run, a publication, an extract) is a job with an
// id, an owner and a state. The embedded deployment runs them in this process, one at a time, in arrival order;
// the service deployment (PostgreSQL) hands them to `iapt worker` processes through a queue with the same
// interface. A job's work is idempotent: a file's submit recognises a file already stored (by sha256), a
// processing run or publication replaces its output atomically.
import { randomUUID } from 'node:crypto';

export const JOB_KINDS = ['submission', 'process', 'publish', 'research', 'extract'] as const;
export type JobKind = (typeof JOB_KINDS)[number];
export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface JobOwner {
  name: string;
  role: string;
  /** The organisation the job's object belongs to (the provider of a submitted file), null for national work. */
  org: string | null;
}

export interface Job {
  id: string;
  kind: JobKind;
  status: JobStatus;
  owner: JobOwner;
  input: Record<string, string>;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  result: Record<string, unknown> | null;
  /** A one-line reason, as a CLI error would give it (no stack, no identifier). */
  error: string | null;
  /** True when a failure now is final (no retry follows): the handler then cleans up what a retry would have needed. */
  lastAttempt?: boolean;
}

export type JobHandler = (job: Job) => Promise<Record<string, unknown>>;

export interface JobQueue {
  enqueue(kind: JobKind, input: Record<string, string>, owner: JobOwner): Promise<Job>;
  get(id: string): Promise<Job | null>;
  /** Resolves when every job queued so far has finished (tests, shutdown). */
  idle(): Promise<void>;
}

/** The embedded queue: jobs run in this process, one after another. Jobs are kept for the life of the process. */
export class InProcessQueue implements JobQueue {
  private readonly jobs = new Map<string, Job>();
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly handlers: Readonly<Record<JobKind, JobHandler>>) {}

  async enqueue(kind: JobKind, input: Record<string, string>, owner: JobOwner): Promise<Job> {
    const job: Job = { id: randomUUID(), kind, status: 'queued', owner, input, createdAt: new Date().toISOString(), startedAt: null, finishedAt: null, result: null, error: null };
    this.jobs.set(job.id, job);
    this.tail = this.tail.then(() => this.run(job));
    return { ...job };
  }

  async get(id: string): Promise<Job | null> {
    const job = this.jobs.get(id);
    return job ? { ...job } : null;
  }

  idle(): Promise<void> {
    return this.tail;
  }

  private async run(job: Job): Promise<void> {
    job.status = 'running';
    job.startedAt = new Date().toISOString();
    try {
      job.result = await this.handlers[job.kind]({ ...job, lastAttempt: true }); // no retries in process
      job.status = 'succeeded';
    } catch (error) {
      job.status = 'failed';
      job.error = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    } finally {
      job.finishedAt = new Date().toISOString();
    }
  }
}
