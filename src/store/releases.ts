// Research releases under review, as OpenSAFELY's Airlock does it: an analyst registers a Data Sharing Agreement
// (with the researchers it names), asks for a release of it (a job makes the extract), two reviewers other than the
// requester approve it, and only then may the agreement's researchers download it. Reviews are of the files as they
// were when reviewed (a digest over the manifest's file entries): a changed file resets them. One set of SQL for
// DuckDB and PostgreSQL; the tables are made on first use, inside a transaction.
import { z } from 'zod';
import { IaptError } from '../core/errors.js';
import type { Catalog } from './catalog.js';

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS agreements (
    id VARCHAR(100) PRIMARY KEY,
    document VARCHAR(100000) NOT NULL,
    registered_by VARCHAR(200) NOT NULL,
    registered_at TIMESTAMP NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS agreement_researchers (
    agreement_id VARCHAR(100) NOT NULL,
    researcher VARCHAR(200) NOT NULL,
    PRIMARY KEY (agreement_id, researcher)
  )`,
  `CREATE TABLE IF NOT EXISTS releases (
    id BIGINT PRIMARY KEY,
    agreement_id VARCHAR(100) NOT NULL,
    requested_by VARCHAR(200) NOT NULL,
    requested_at TIMESTAMP NOT NULL,
    status VARCHAR(20) NOT NULL,
    files_digest VARCHAR(64),
    detail VARCHAR(2000)
  )`,
  `CREATE TABLE IF NOT EXISTS release_reviews (
    release_id BIGINT NOT NULL,
    reviewer VARCHAR(200) NOT NULL,
    decision VARCHAR(10) NOT NULL,
    files_digest VARCHAR(64) NOT NULL,
    reviewed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (release_id, reviewer, files_digest)
  )`,
];

export const RELEASE_STATUSES = ['producing', 'in-review', 'failed'] as const;
export type ReleaseStatus = (typeof RELEASE_STATUSES)[number];
export const REVIEW_DECISIONS = ['approve', 'reject'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];
/** Approvals a release needs, from reviewers other than its requester. */
export const APPROVALS_NEEDED = 2;

const now = () => new Date().toISOString().slice(0, 19).replace('T', ' ');
const ensure = (catalog: Catalog) => catalog.transaction(async () => {
  for (const statement of SCHEMA) await catalog.exec(statement);
});

const agreementRow = z.object({ id: z.string(), document: z.string(), registered_by: z.string(), registered_at: z.coerce.string() });
const releaseRow = z.object({
  id: z.coerce.number(),
  agreement_id: z.string(),
  requested_by: z.string(),
  requested_at: z.coerce.string(),
  status: z.enum(RELEASE_STATUSES),
  files_digest: z.string().nullable(),
  detail: z.string().nullable(),
});
const reviewRow = z.object({ reviewer: z.string(), decision: z.enum(REVIEW_DECISIONS), files_digest: z.string(), reviewed_at: z.coerce.string() });
export type ReleaseRow = z.infer<typeof releaseRow>;
export type ReviewRow = z.infer<typeof reviewRow>;

export async function registerAgreement(catalog: Catalog, a: { id: string; document: string; researchers: readonly string[]; by: string }): Promise<void> {
  await ensure(catalog);
  await catalog.transaction(async () => {
    const [exists] = await catalog.rows(agreementRow, 'SELECT id, document, registered_by, registered_at FROM agreements WHERE id = $1', [a.id]);
    if (exists) throw new IaptError('usage', `agreement ${a.id} is registered already`);
    await catalog.exec('INSERT INTO agreements (id, document, registered_by, registered_at) VALUES ($1, $2, $3, CAST($4 AS TIMESTAMP))', [a.id, a.document, a.by, now()]);
    for (const r of new Set(a.researchers)) await catalog.exec('INSERT INTO agreement_researchers (agreement_id, researcher) VALUES ($1, $2)', [a.id, r]);
  });
}

export async function agreementById(catalog: Catalog, id: string): Promise<{ id: string; document: string; researchers: string[] } | null> {
  await ensure(catalog);
  const [row] = await catalog.rows(agreementRow, 'SELECT id, document, registered_by, registered_at FROM agreements WHERE id = $1', [id]);
  if (!row) return null;
  const researchers = (await catalog.rows(z.object({ researcher: z.string() }), 'SELECT researcher FROM agreement_researchers WHERE agreement_id = $1 ORDER BY researcher', [id])).map((r) => r.researcher);
  return { id: row.id, document: row.document, researchers };
}

export async function listAgreements(catalog: Catalog): Promise<{ id: string; researchers: string[]; registeredBy: string; registeredAt: string }[]> {
  await ensure(catalog);
  const rows = await catalog.rows(agreementRow, 'SELECT id, document, registered_by, registered_at FROM agreements ORDER BY id');
  const out = [];
  for (const r of rows) out.push({ id: r.id, researchers: (await agreementById(catalog, r.id))!.researchers, registeredBy: r.registered_by, registeredAt: r.registered_at });
  return out;
}

export async function createRelease(catalog: Catalog, agreementId: string, by: string): Promise<number> {
  await ensure(catalog);
  return catalog.transaction(async () => {
    const [{ id }] = (await catalog.rows(z.object({ id: z.coerce.number() }), 'SELECT COALESCE(MAX(id), 0) + 1 AS id FROM releases')) as [{ id: number }];
    await catalog.exec("INSERT INTO releases (id, agreement_id, requested_by, requested_at, status, files_digest, detail) VALUES ($1, $2, $3, CAST($4 AS TIMESTAMP), 'producing', NULL, NULL)", [id, agreementId, by, now()]);
    return id;
  });
}

/** The job's outcome: the files made (their digest), or why not. */
export async function finishRelease(catalog: Catalog, id: number, outcome: { digest: string } | { failed: string }): Promise<void> {
  await ensure(catalog);
  if ('digest' in outcome) await catalog.exec("UPDATE releases SET status = 'in-review', files_digest = $2 WHERE id = $1", [id, outcome.digest]);
  else await catalog.exec("UPDATE releases SET status = 'failed', detail = $2 WHERE id = $1", [id, outcome.failed.slice(0, 2000)]);
}

export async function releaseById(catalog: Catalog, id: number): Promise<(ReleaseRow & { reviews: ReviewRow[] }) | null> {
  await ensure(catalog);
  const [row] = await catalog.rows(releaseRow, 'SELECT id, agreement_id, requested_by, requested_at, status, files_digest, detail FROM releases WHERE id = $1', [id]);
  if (!row) return null;
  const reviews = await catalog.rows(reviewRow, 'SELECT reviewer, decision, files_digest, reviewed_at FROM release_reviews WHERE release_id = $1 ORDER BY reviewed_at, reviewer', [id]);
  return { ...row, reviews };
}

/** The ids of the releases of the agreements that name `researcher`, or of every release; oldest first. */
export async function releaseIds(catalog: Catalog, researcher: string | null): Promise<number[]> {
  await ensure(catalog);
  const rows = researcher === null
    ? await catalog.rows(z.object({ id: z.coerce.number() }), 'SELECT id FROM releases ORDER BY id')
    : await catalog.rows(z.object({ id: z.coerce.number() }), 'SELECT id FROM releases WHERE agreement_id IN (SELECT agreement_id FROM agreement_researchers WHERE researcher = $1) ORDER BY id', [researcher]);
  return rows.map((r) => r.id);
}

export async function recordReview(catalog: Catalog, id: number, review: { reviewer: string; decision: ReviewDecision; filesDigest: string }): Promise<void> {
  await ensure(catalog);
  await catalog.transaction(async () => {
    await catalog.exec('DELETE FROM release_reviews WHERE release_id = $1 AND reviewer = $2 AND files_digest = $3', [id, review.reviewer, review.filesDigest]);
    await catalog.exec('INSERT INTO release_reviews (release_id, reviewer, decision, files_digest, reviewed_at) VALUES ($1, $2, $3, $4, CAST($5 AS TIMESTAMP))', [id, review.reviewer, review.decision, review.filesDigest, now()]);
  });
}

/**
 * Where a release stands for files whose digest is `current` now: approved when APPROVALS_NEEDED reviewers other
 * than the requester approved these very files and none rejected them. Reviews of other files do not count, so a
 * file changed after it was made (filesChanged) needs reviewing again.
 */
export function reviewState(release: ReleaseRow & { reviews: ReviewRow[] }, current: string | null): { approvals: string[]; rejections: string[]; approved: boolean; filesChanged: boolean } {
  const valid = release.reviews.filter((r) => r.files_digest === current && r.reviewer !== release.requested_by);
  const approvals = [...new Set(valid.filter((r) => r.decision === 'approve').map((r) => r.reviewer))];
  const rejections = [...new Set(valid.filter((r) => r.decision === 'reject').map((r) => r.reviewer))];
  const filesChanged = release.files_digest !== null && current !== release.files_digest;
  return { approvals, rejections, approved: release.status === 'in-review' && approvals.length >= APPROVALS_NEEDED && rejections.length === 0, filesChanged };
}
