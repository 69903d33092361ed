// Every statement the catalog runs, in the SQL subset shared by DuckDB (the embedded default) and
// PostgreSQL (service mode): standard types, $n parameters, window functions, no dialect extensions.

export const CATALOG_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS submissions (
    id BIGINT PRIMARY KEY,
    provider VARCHAR(6) NOT NULL,
    period VARCHAR(7) NOT NULL,
    unique_month_id INTEGER NOT NULL,
    file_type VARCHAR(7) NOT NULL,
    late BOOLEAN NOT NULL,
    received TIMESTAMP NOT NULL,
    sha256 VARCHAR(64) NOT NULL,
    file_name VARCHAR(1000) NOT NULL,
    dataset_version VARCHAR(3) NOT NULL,
    outcome VARCHAR(8) NOT NULL,
    status VARCHAR(8) NOT NULL,
    rows_received BIGINT NOT NULL,
    rows_accepted BIGINT NOT NULL,
    rows_rejected BIGINT NOT NULL,
    folder VARCHAR(1000) NOT NULL,
    registered_at TIMESTAMP NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS submission_tables (
    submission_id BIGINT NOT NULL,
    table_name VARCHAR(40) NOT NULL,
    received BIGINT NOT NULL,
    accepted BIGINT NOT NULL,
    rejected BIGINT NOT NULL,
    PRIMARY KEY (submission_id, table_name)
  )`,
  /** Facts about the data directory as a whole, e.g. the pseudonymisation key's fingerprint (never the key). */
  `CREATE TABLE IF NOT EXISTS settings (
    name VARCHAR(100) PRIMARY KEY,
    value VARCHAR(4000) NOT NULL
  )`,
];

export const SQL = {
  nextSubmissionId: `SELECT COALESCE(MAX(id), 0) + 1 AS id FROM submissions`,
  reserveSubmission: `INSERT INTO submissions (id, provider, period, unique_month_id, file_type, late, received, sha256, file_name, dataset_version, outcome, status, rows_received, rows_accepted, rows_rejected, folder, registered_at)
    VALUES ($1, $2, $3, $4, $5, $6, CAST($7 AS TIMESTAMP), $8, $9, $10, $11, 'pending', $12, $13, $14, $15, CAST($16 AS TIMESTAMP))`,
  completeSubmission: `UPDATE submissions SET status = 'complete' WHERE id = $1 AND status = 'pending'`,
  insertTableCounts: `INSERT INTO submission_tables (submission_id, table_name, received, accepted, rejected) VALUES ($1, $2, $3, $4, $5)`,
  pendingSubmissions: `SELECT id, folder FROM submissions WHERE status = 'pending'`,
  deletePending: `DELETE FROM submissions WHERE id = $1 AND status = 'pending'`,
  deletePendingTables: `DELETE FROM submission_tables WHERE submission_id = $1`,
  completeFolders: `SELECT folder FROM submissions WHERE status = 'complete'`,
  bySha256: `SELECT id, outcome, provider, period, file_type FROM submissions WHERE sha256 = $1 AND status = 'complete' ORDER BY id`,
  getSetting: `SELECT value FROM settings WHERE name = $1`,
  insertSetting: `INSERT INTO settings (name, value) VALUES ($1, $2)`,
  /** Every complete submission, with `counts` true for the one that counts for its provider and period. */
  /** Complete submissions and whether each counts, of one provider ($1), period ($2) or id ($3) where not null. */
  listSubmissions: `SELECT s.id, s.provider, s.period, s.unique_month_id, s.file_type, s.late, CAST(s.received AS VARCHAR) AS received, s.sha256, s.file_name,
      s.dataset_version, s.outcome, s.rows_received, s.rows_accepted, s.rows_rejected, s.folder,
      CASE WHEN c.id IS NULL THEN FALSE ELSE TRUE END AS counts
    FROM submissions s LEFT JOIN (
      SELECT id FROM (
        SELECT id, ROW_NUMBER() OVER (PARTITION BY provider, period ORDER BY CASE file_type WHEN 'Refresh' THEN 1 ELSE 0 END DESC, received DESC, id DESC) AS rn
        FROM submissions WHERE status = 'complete' AND outcome = 'accepted'
          AND (CAST($1 AS VARCHAR) IS NULL OR provider = CAST($1 AS VARCHAR)) AND (CAST($2 AS VARCHAR) IS NULL OR period = CAST($2 AS VARCHAR))
      ) ranked WHERE rn = 1
    ) c ON c.id = s.id
    WHERE s.status = 'complete'
      AND (CAST($1 AS VARCHAR) IS NULL OR s.provider = CAST($1 AS VARCHAR)) AND (CAST($2 AS VARCHAR) IS NULL OR s.period = CAST($2 AS VARCHAR))
      AND (CAST($3 AS BIGINT) IS NULL OR s.id = CAST($3 AS BIGINT))
    ORDER BY s.provider, s.period, s.received, s.id`,
} as const;
