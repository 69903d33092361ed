// Runs every rule's case (cases.ts) through the real validator (files written, intake, engine, report) and checks
// its finding: present, with the rule's severity and table, on exactly the case's rows; or never, for placeholders.
//
// Running the validator once per case took ~11 minutes of CPU, so the cases share runs. A case that changes the
// Header, the files themselves or the file as a whole (file-level and intake rules) validates a submission of
// its own. Every other case of a part is one copy of the fixture's record tree inside one shared submission:
// copy k's keys (patient, referral, contact, activity and staff ids) end in `_k` and its NHS number is its own,
// so no rule relates rows of two copies, and the rows of copy k fail exactly as they would alone. The finding of
// a copy is then read from its own rows.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nhsNumberCheckDigit, TABLE_NAMES, TABLES, type TableName } from '../../src/dataset/index.js';
import { RULES } from '../../src/validation/rules/index.js';
import { validateSubmission } from '../../src/validation/index.js';
import type { ValidationReport } from '../../src/validation/report/types.js';
import type { Rule } from '../../src/validation/types.js';
import { caseFor, type RuleCase } from './cases.js';
import { asV20, baseTables, PERIOD, PROVIDER, RECEIVED, writeReference, writeSubmission, type Row, type Tables } from './fixture.js';

const root = mkdtempSync(join(tmpdir(), 'iapt-rules-'));
const reference = writeReference(join(root, 'reference'));

/** Items that tie the rows of one record tree together: the spec's primary and foreign keys, and the staff id (IDS902's key). */
const LINKS = new Set([...TABLES.flatMap((t) => t.items.filter((i) => i.pk || i.fk).map((i) => i.name)), 'CarePersLocalId']);
const BASE_NHS_NUMBER = baseTables().IDS001MPI[0]!.NHSNumber!;

// Copies are independent only if every rule relating rows compares a key: check it here, where it is relied on.
for (const rule of RULES) {
  if (rule.check.kind === 'uniqueness' && !rule.check.key.some((k) => LINKS.has(k))) throw new Error(`${rule.code}: its key has no record-tree key, so copies of the fixture could collide`);
}

/** A valid NHS number of its own for copy k (IDSREJ009: a number appears on one IDS001 row only). */
function nhsNumberOf(k: number): string {
  for (let n = 400_000_000 + k * 13; ; n++) {
    const digit = nhsNumberCheckDigit(String(n));
    if (digit !== null) return `${n}${digit}`;
  }
}

/** The tables of copy k: every filled key ends in `_k`, the fixture's NHS number is replaced by copy k's. */
function copy(tables: Tables, k: number): Tables {
  const relabel = (row: Row): Row =>
    Object.fromEntries(
      Object.entries(row).map(([item, value]) => {
        if (LINKS.has(item) && value.trim() !== '') return [item, `${value}_${k}`];
        if (item === 'NHSNumber' && value === BASE_NHS_NUMBER) return [item, nhsNumberOf(k)];
        return [item, value];
      }),
    );
  return Object.fromEntries(TABLE_NAMES.map((t) => [t, tables[t].map(relabel)])) as Tables;
}

interface Prepared {
  rule: Rule;
  c: RuleCase;
  tables: Tables;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Cases that cannot share a submission: they change the Header, the files, a whole table's presence, or name no row. */
function alone({ rule, c, tables }: Prepared): boolean {
  return rule.table === 'File' || rule.table === 'IDS000Header' || rule.check.kind === 'file' || Boolean(c.afterWrite) || c.rows.length === 0 || TABLE_NAMES.some((t) => !tables[t]) || !same(tables.IDS000Header, baseTables().IDS000Header);
}

function prepare(rule: Rule): Prepared {
  const c = caseFor(rule);
  const tables = baseTables();
  c.mutate(tables);
  return { rule, c, tables };
}

const validate = (dir: string): Promise<{ report: ValidationReport }> =>
  validateSubmission(dir, { period: PERIOD, provider: PROVIDER, received: RECEIVED, referenceDir: reference, exampleLimit: 1_000_000 });

/** The case's finding in the report: absent for a case that must never fire, else present with the rule's severity. */
function findingOf({ rule, c }: Prepared, report: ValidationReport): ValidationReport['findings'][number] | undefined {
  const finding = report.findings.find((f) => f.code === rule.code);
  if (c.absent) {
    expect(finding, `${rule.code} must never fire`).toBeUndefined();
    return undefined;
  }
  expect(finding, `${rule.code} did not fire; findings: ${report.findings.map((f) => f.code).join(', ')}`).toBeDefined();
  expect(finding!.severity).toBe(rule.severity);
  return finding;
}

/** One case, validated on its own: the finding is on exactly the case's rows. */
async function checkAlone(prepared: Prepared): Promise<void> {
  const { rule, c, tables } = prepared;
  const dir = writeSubmission(join(root, rule.code), c.version === '2.0' ? asV20(tables) : tables);
  c.afterWrite?.(dir);
  const { report } = await validate(dir);
  const finding = findingOf(prepared, report);
  if (!finding) return;
  // File-level rules in the catalogue name the file; their findings name the table concerned where there is one.
  if (rule.table !== 'File') expect(finding.table).toBe(rule.table);
  if (c.rows.length > 0) expect(finding.examples.map((e) => e.row)).toEqual(c.rows);
  expect(finding.count).toBe(Math.max(1, c.rows.length));
}

interface Batch {
  /** Validated once, when the first of its cases is checked. */
  report: () => Promise<ValidationReport>;
  /** Where each case's rows start in each table: rows of copies before it. */
  offsets: Map<string, Record<TableName, number>>;
  sizes: Map<string, Record<TableName, number>>;
}

/** Cases of one version in one submission, each in its own copy of the record tree, under the fixture's Header. */
function batchOf(name: string, cases: readonly Prepared[], version: '2.0' | '2.1'): Batch {
  const tables = { ...baseTables() };
  for (const t of TABLE_NAMES) if (t !== 'IDS000Header') tables[t] = [];
  const offsets = new Map<string, Record<TableName, number>>();
  const sizes = new Map<string, Record<TableName, number>>();
  cases.forEach(({ rule, tables: own }, i) => {
    const copied = copy(own, i + 1);
    offsets.set(rule.code, Object.fromEntries(TABLE_NAMES.map((t) => [t, tables[t].length])) as Record<TableName, number>);
    sizes.set(rule.code, Object.fromEntries(TABLE_NAMES.map((t) => [t, copied[t].length])) as Record<TableName, number>);
    for (const t of TABLE_NAMES) if (t !== 'IDS000Header') tables[t].push(...copied[t]);
  });
  let run: Promise<ValidationReport> | undefined;
  const report = () => (run ??= validate(writeSubmission(join(root, name), version === '2.0' ? asV20(tables) : tables)).then((v) => v.report));
  return { report, offsets, sizes };
}

/** One case of a batch: the finding is on exactly the case's rows of its own copy. */
async function checkInBatch(prepared: Prepared, batch: Batch): Promise<void> {
  const { rule, c } = prepared;
  const finding = findingOf(prepared, await batch.report());
  if (!finding) return;
  expect(finding.table).toBe(rule.table);
  // Examples are uncapped here, so they are every failing row: those of this copy are this case's.
  expect(finding.examples).toHaveLength(finding.count);
  const table = rule.table as TableName;
  const [offset, size] = [batch.offsets.get(rule.code)![table], batch.sizes.get(rule.code)![table]];
  const own = finding.examples.map((e) => e.row!).filter((row) => row > offset && row <= offset + size);
  expect(own.map((row) => row - offset)).toEqual(c.rows);
}

const PARTS = ['a', 'b', 'c'] as const;
type Part = (typeof PARTS)[number];
/** Shared cases split by table, cases run alone dealt in turn, so that the three test files run in parallel. */
const byTable = (table: string): Part => (table < 'IDS101' ? 'a' : table < 'IDS600' ? 'b' : 'c');

/** One test per rule code of this part, named after the code. */
export function defineRuleTests(part: Part): void {
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const prepared = RULES.map(prepare);
  const solo = prepared.filter(alone).filter((p, i) => PARTS[i % PARTS.length] === part);
  const shared = prepared.filter((p) => !alone(p) && byTable(p.rule.table) === part);
  const batches = new Map(
    (['2.1', '2.0'] as const).map((version) => {
      const cases = shared.filter((p) => p.c.version === version);
      return [version, { cases, batch: batchOf(`${part}-v${version}`, cases, version) }];
    }),
  );
  const title = (rule: Rule) => `${rule.code} ${rule.severity} ${rule.table}.${rule.fields.length > 6 ? `(${rule.fields.length} items)` : rule.fields.join('+')}`;
  describe.concurrent('rules', () => {
    for (const p of solo) it(`${title(p.rule)} (alone)`, () => checkAlone(p));
    for (const { cases, batch } of batches.values()) for (const p of cases) it(title(p.rule), () => checkInBatch(p, batch));
  });
}
