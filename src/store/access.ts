// Users, API tokens, roles and the audit trail of the service (issue 17), in one import for the server and the
// CLI. The tables and their SQL (DuckDB and PostgreSQL alike): accessSql.ts; users and tokens: users.ts; the
// hash-chained audit trail: auditLog.ts. docs/service.md describes both.
export { ensureAccessSchema, containsNhsNumber, GENESIS_HASH, type AccessCatalog } from './accessSql.js';
export { ROLES, ORG_ROLES, NATIONAL_ROLES, addUser, listUsers, revokeUser, principalOfToken, type Role, type Principal, type UserRow } from './users.js';
export { appendAudit, appendAuditWithin, localActor, listAudit, verifyAudit, auditHash, type AuditEntry, type AuditRow, type AuditVerdict } from './auditLog.js';
