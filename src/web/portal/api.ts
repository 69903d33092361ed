// The portal's pages get every datum by calling the service's API in-process with the signed-in caller's bearer
// token, so a page can show nothing the API would refuse: the API's 401 ends the session, its 403 and 404 become the
// page's, and anything else it refuses is the page's error too.
import type { Readable } from 'node:stream';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { IaptError, type ErrorKind } from '../../core/errors.js';
import type { Session } from './sessions.js';

/**
 * On whose behalf a call is made: the token it carries (a session's, or one being checked at sign-in; none for the
 * public routes) and the browser's address, so that the API's rate limit and log see each person's own address
 * rather than all the portal's calls as one client.
 */
export type Bearer = { bearer?: Session['bearer']; ip?: string } | null;

/** The API refused: the status and the problem document's detail. */
export class ApiRefusal extends IaptError {
  constructor(
    readonly status: number,
    detail: string,
  ) {
    super(KIND_OF_STATUS[status] ?? 'internal', detail);
  }
}

const KIND_OF_STATUS: Record<number, ErrorKind> = { 400: 'usage', 401: 'unauthenticated', 403: 'forbidden', 404: 'notFound', 409: 'negative', 422: 'input', 503: 'busy' };

export interface ApiCall {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  payload?: string | Buffer | Readable;
}

export class Api {
  constructor(private readonly app: FastifyInstance) {}

  /** The raw answer of the API to the caller. */
  async call(session: Bearer, url: string, call: ApiCall = {}): Promise<LightMyRequestResponse> {
    const options: InjectOptions = { method: call.method ?? 'GET', url, headers: { ...(call.headers ?? {}), ...(session?.bearer ? { authorization: `Bearer ${session.bearer}` } : {}) } };
    if (session?.ip) options.remoteAddress = session.ip;
    if (call.payload !== undefined) options.payload = call.payload;
    return this.app.inject(options);
  }

  /** The answer, refused unless 2xx. */
  async ok(session: Bearer, url: string, call: ApiCall = {}): Promise<LightMyRequestResponse> {
    const r = await this.call(session, url, call);
    if (r.statusCode >= 200 && r.statusCode < 300) return r;
    let detail = `the API answered ${r.statusCode}`;
    try {
      detail = (r.json() as { detail?: string }).detail ?? detail;
    } catch {
      // not a problem document
    }
    throw new ApiRefusal(r.statusCode, detail);
  }

  async json<T>(session: Bearer, url: string, call: ApiCall = {}): Promise<T> {
    return (await this.ok(session, url, call)).json() as T;
  }
}

export interface SubmissionView {
  id: number;
  provider: string;
  period: string;
  fileType: string;
  late: boolean;
  received: string;
  outcome: string;
  counts: boolean;
  rowsReceived: number;
  rowsAccepted: number;
  rowsRejected: number;
  sha256: string;
}

export interface JobView {
  id: string;
  kind: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  org: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  result: Record<string, unknown> | null;
  error: string | null;
}

/** The parts of a validation report (report.json) the portal reads. */
export interface ReportJson {
  outcome: string;
  submission: { provider?: string; reportingPeriodStart?: string; received?: string };
  tables: { table: string; received: number; accepted: number; rejected: number }[];
  findings: { code: string; severity: string; table: string; field: string | null; count: number; message: string }[];
  dataQuality: { table: string; field: string; valid: number; default: number; invalid: number; missing: number; denominator: number }[];
}

export interface PublishedFile {
  period: string;
  file: string;
  url: string;
}
