// A provider's submissions: the upload form (a plain multipart form; the script adds a progress bar), the job that
// validates and stores the file, the list with which submission counts, one submission with its validation report
// (summarised here from the report's JSON, the full HTML report and the findings CSV passed through from the API).
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { IaptError } from '../../core/errors.js';
import { ApiRefusal, type JobView, type ReportJson, type SubmissionView } from './api.js';
import { checkCsrf, redirect, signedIn, type Portal } from './context.js';
import { formatNumber, h } from './html.js';
import { page, PORTAL, table } from './layout.js';
import type { Session } from './sessions.js';

const html = (reply: FastifyReply, text: string) => reply.type('text/html; charset=utf-8').send(text);

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
/** "2024-09" as "September 2024". */
export const monthOf = (period: string): string => `${MONTHS[Number(period.slice(5, 7)) - 1] ?? period} ${period.slice(0, 4)}`;

const SEVERITY: Record<string, string> = { reject_file: 'Rejects the file', reject_group: 'Rejects the record and its group', reject_record: 'Rejects the record', warning: 'Warning' };

/** The id in a path, as the API's routes take it (a positive whole number), or not found. */
export function idOf(raw: string): number {
  const id = Number(raw);
  if (!Number.isInteger(id) || id <= 0) throw new IaptError('notFound', `no submission ${raw}`);
  return id;
}

export async function submissionsOf(portal: Portal, session: Session): Promise<SubmissionView[]> {
  return (await portal.api.json<{ submissions: SubmissionView[] }>(session, '/api/v1/submissions')).submissions;
}

function uploadForm(session: Session): string {
  return page(
    { title: 'Upload a submission', session, current: '/upload' },
    h`<p>Send this month's file for ${session.caller.org ?? 'your organisation'}: a zip of the data set's CSV files, or an Access database (.mdb, .accdb). It is checked against every NHS validation rule and stored if it can be; the result and its report follow on the next page.</p>
<form method="post" action="${PORTAL}/upload" enctype="multipart/form-data" data-upload>
<input type="hidden" name="csrf" value="${session.csrf}">
<label for="file">Submission file</label>
<p class="hint" id="file-hint">A .zip, .mdb or .accdb file, as your system exports it.</p>
<input type="file" id="file" name="file" accept=".zip,.mdb,.accdb" aria-describedby="file-hint" required>
<p><button type="submit">Upload and check</button></p>
<progress id="upload-progress" max="100" value="0" hidden aria-label="Upload progress"></progress>
<p id="upload-status" role="status"></p>
</form>`,
  );
}

export function submissionRoutes(app: FastifyInstance, portal: Portal): void {
  app.get('/upload', async (request, reply) => html(reply, uploadForm(signedIn(portal, request))));

  app.post('/upload', async (request, reply) => {
    const session = signedIn(portal, request);
    if (!request.isMultipart()) throw new IaptError('usage', 'send the form as multipart/form-data');
    let csrf: unknown;
    // The hidden field comes before the file in the form, so the token is checked before a byte of the file is passed on.
    for await (const part of request.parts({ limits: { fields: 1, files: 1, parts: 2, fileSize: portal.ctx.uploadLimit + 1 } })) {
      if (part.type === 'field') {
        if (part.fieldname === 'csrf') csrf = part.value;
        continue;
      }
      checkCsrf(session, csrf);
      if (!part.filename) {
        part.file.resume();
        throw new IaptError('usage', 'choose a file to upload');
      }
      // One byte over the limit reaches the API when the file is too large, so that the API refuses it (413).
      const boundary = `----iapt-portal-${Date.now().toString(36)}`;
      const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${part.filename.replace(/["\r\n\\]/g, '_')}"\r\nContent-Type: application/octet-stream\r\n\r\n`);
      const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
      const body = Readable.from(
        (async function* () {
          yield head;
          for await (const chunk of part.file) yield chunk as Buffer;
          yield tail;
        })(),
      );
      const answer = await portal.api.json<{ job: JobView }>(session, '/api/v1/submissions', { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: body });
      const next = `${PORTAL}/jobs/${encodeURIComponent(answer.job.id)}`;
      // The script's upload asks for JSON and goes there itself (a redirect followed inside XMLHttpRequest would be
      // upgraded to https by the Content-Security-Policy's upgrade-insecure-requests on a plain-http server).
      if ((request.headers.accept ?? '').includes('application/json')) return reply.send({ location: next });
      return redirect(reply, next);
    }
    throw new IaptError('usage', 'choose a file to upload');
  });

  app.get<{ Params: { id: string } }>('/jobs/:id/state', async (request, reply) => {
    const job = await portal.api.json<JobView>(signedIn(portal, request), `/api/v1/jobs/${encodeURIComponent(request.params.id)}`);
    return reply.send({ status: job.status });
  });

  app.get<{ Params: { id: string } }>('/jobs/:id', async (request, reply) => {
    const session = signedIn(portal, request);
    const job = await portal.api.json<JobView>(session, `/api/v1/jobs/${encodeURIComponent(request.params.id)}`);
    const result = job.result ?? {};
    const submissionId = typeof result.submissionId === 'number' ? result.submissionId : null;
    let body;
    if (job.status === 'queued' || job.status === 'running') {
      body = h`<p class="status" data-job-state="${PORTAL}/jobs/${job.id}/state" role="status">The file is ${job.status === 'queued' ? 'waiting to be checked' : 'being checked'}.</p><p><a href="${PORTAL}/jobs/${job.id}">Refresh this page</a> to see whether it has finished.</p>`;
    } else if (job.status === 'failed') {
      body = h`<div class="status bad"><p>The file could not be checked: ${job.error ?? 'no reason was given'}.</p></div><p><a href="${PORTAL}/upload">Upload a file</a></p>`;
    } else if (result.status === 'refused') {
      body = h`<div class="status bad"><p>The file was not stored: ${String(result.reason ?? '')}.</p></div><p><a href="${PORTAL}/upload">Upload a file</a></p>`;
    } else {
      const accepted = result.outcome === 'accepted';
      body = h`<div class="status ${accepted ? 'good' : 'bad'}"><p>${result.status === 'duplicate' ? 'This file had already been received: ' : 'The file was checked and stored: '}<strong>${accepted ? 'accepted' : 'rejected'}</strong>.</p></div>
${submissionId !== null ? h`<p><a href="${PORTAL}/submissions/${submissionId}">See submission ${submissionId} and its validation report</a></p>` : ''}`;
    }
    return html(reply, page({ title: `Upload ${job.status === 'succeeded' || job.status === 'failed' ? 'finished' : 'in progress'}`, session }, body));
  });

  app.get('/submissions', async (request, reply) => {
    const session = signedIn(portal, request);
    const rows = (await submissionsOf(portal, session)).sort((a, b) => b.period.localeCompare(a.period) || b.id - a.id);
    const body = h`<p>Every file received for your organisation. For each month the latest valid file counts (a Refresh over the Primary); the others are kept, but do not count.</p>
${table(
      'Submissions, latest month first',
      ['Submission', 'Month', 'File type', 'Received', 'Outcome', 'Counts', 'Rows received', 'Rows rejected'],
      rows.map((s) => [
        h`<a href="${PORTAL}/submissions/${s.id}">${s.id}</a>`,
        monthOf(s.period),
        `${s.fileType}${s.late ? ' (late)' : ''}`,
        s.received.replace('T', ' '),
        s.outcome,
        s.counts ? h`<strong>Counts</strong>` : 'No',
        formatNumber(s.rowsReceived),
        formatNumber(s.rowsRejected),
      ]),
      [0, 6, 7],
    )}
<p><a href="${PORTAL}/upload">Upload a submission</a></p>`;
    return html(reply, page({ title: 'Your submissions', session, current: '/submissions' }, body));
  });

  app.get<{ Params: { id: string } }>('/submissions/:id', async (request, reply) => {
    const session = signedIn(portal, request);
    const id = idOf(request.params.id);
    const s = await portal.api.json<SubmissionView>(session, `/api/v1/submissions/${id}`);
    let report: ReportJson | null = null;
    try {
      report = await portal.api.json<ReportJson>(session, `/api/v1/submissions/${id}/report?format=json`);
    } catch (error) {
      if (!(error instanceof ApiRefusal && (error.status === 403 || error.status === 404))) throw error;
    }
    const facts = table('This submission', ['Fact', 'Value'], [
      ['Provider', s.provider],
      ['Month', monthOf(s.period)],
      ['File type', `${s.fileType}${s.late ? ' (late)' : ''}`],
      ['Received', s.received.replace('T', ' ')],
      ['Outcome', s.outcome],
      ['Counts for the month', s.counts ? 'Yes' : 'No'],
      ['Rows received, accepted, rejected', `${formatNumber(s.rowsReceived)}, ${formatNumber(s.rowsAccepted)}, ${formatNumber(s.rowsRejected)}`],
      ['SHA-256', h`<code>${s.sha256}</code>`],
    ]);
    const reportPart = report
      ? h`<h2>Validation report</h2>
<p><a href="${PORTAL}/submissions/${id}/report">Open the full validation report</a> (with examples of each finding) or <a href="${PORTAL}/submissions/${id}/findings.csv">download the findings (CSV)</a>.</p>
${table('Records by table', ['Table', 'Received', 'Accepted', 'Rejected'], report.tables.map((t) => [t.table, formatNumber(t.received), formatNumber(t.accepted), formatNumber(t.rejected)]), [1, 2, 3])}
${table(
          'Findings',
          ['Rule', 'What it does', 'Table', 'Item', 'Records', 'Message'],
          report.findings.map((f) => [f.code, SEVERITY[f.severity] ?? f.severity, f.table, f.field ?? '', formatNumber(f.count), f.message]),
          [4],
        )}
<h2>Before the deadline</h2><p><a href="${PORTAL}/extracts/submission/${id}">Download the pre-deadline extract of this submission (CSV)</a>: your records as they would be processed.</p>`
      : h`<p>The validation report is for the submitting provider only.</p>`;
    const accepted = s.outcome === 'accepted';
    const verdict = h`<div class="status ${accepted ? 'good' : 'bad'}"><p><strong>${accepted ? 'Accepted' : 'Rejected'}.</strong> ${accepted ? `${formatNumber(s.rowsAccepted)} of ${formatNumber(s.rowsReceived)} rows were stored${s.rowsRejected ? `; ${formatNumber(s.rowsRejected)} were rejected (the findings below say why)` : ''}.` : 'Nothing of this file counts: the findings below say what must be fixed before sending it again.'}${s.counts ? ' It is the submission that counts for its month.' : ''}</p></div>`;
    return html(reply, page({ title: `Submission ${id}: ${monthOf(s.period)}, ${s.outcome}`, session, current: '/submissions' }, h`${verdict}${facts}${reportPart}`));
  });

  app.get<{ Params: { id: string } }>('/submissions/:id/report', async (request, reply) => {
    const r = await portal.api.ok(signedIn(portal, request), `/api/v1/submissions/${idOf(request.params.id)}/report?format=html`);
    return reply.type('text/html; charset=utf-8').send(r.rawPayload);
  });

  app.get<{ Params: { id: string } }>('/submissions/:id/findings.csv', async (request, reply) => {
    const id = idOf(request.params.id);
    const r = await portal.api.ok(signedIn(portal, request), `/api/v1/submissions/${id}/report?format=csv`);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="submission-${id}-findings.csv"`).send(r.rawPayload);
  });
}
