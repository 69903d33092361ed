// What runs, in the Kysely manner: for a few rules, the SQL they compile to, and what that SQL finds in a few
// staged rows. Tables are staged as intake stages them (every item as text, `_row` the data row).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openDb, sqlInteger, type Db } from '../../src/core/db.js';
import { ident, values } from '../../src/core/sql.js';
import { TABLE_NAMES, type TableName } from '../../src/dataset/index.js';
import { createStaging } from '../../src/intake/stage.js';
import { stagingTable } from '../../src/intake/types.js';
import { contextParams, fileRuleRows, rowCondition, RuleNotApplicable } from '../../src/validation/compile.js';
import type { RunContext } from '../../src/validation/context.js';
import { cascadeRules, cascadeRuleSql, runReferentialCascade, runUniquenessRules, type CascadeRule, type NotRun } from '../../src/validation/engine.js';
import { RULES } from '../../src/validation/rules/index.js';

const ctx: RunContext = {
  version: '2.1',
  rpStart: '2024-05-01',
  rpEnd: '2024-05-31',
  periodStart: '2024-05-01',
  periodEnd: '2024-05-31',
  provider: 'RA1',
  headerProvider: 'RA1',
  received: '2024-06-10T12:00:00',
  hasReference: false,
};
const rule = (code: string) => RULES.find((r) => r.code === code)!;

let db: Db;
beforeAll(async () => {
  db = await openDb({ threads: 1 });
});
afterAll(() => db.close());

/** Empty staging tables, then these rows (1-based `_row` in the order given), and empty `fail` and `rejected`. */
async function stage(rows: Partial<Record<TableName, Record<string, string | null>[]>>): Promise<void> {
  for (const table of TABLE_NAMES) {
    await createStaging(db, table, '2.1', null);
    const given = rows[table] ?? [];
    for (const [i, row] of given.entries()) {
      const items = Object.keys(row);
      await db.run(`INSERT INTO ${ident(stagingTable(table))} (_row, ${items.map(ident).join(', ')}) VALUES ${values([[i + 1, ...Object.values(row)]])}`);
    }
  }
  await db.run(`CREATE OR REPLACE TABLE fail (code VARCHAR, tbl VARCHAR, _row BIGINT, field VARCHAR, value VARCHAR)`);
  await db.run(`CREATE OR REPLACE TABLE rejected (tbl VARCHAR, _row BIGINT)`);
}

const rowsOf = z.object({ _row: sqlInteger });
/** The rows of `table` for which a row-level condition holds (it holds when the row fails the rule). */
const failingRows = async (table: TableName, condition: string) =>
  (await db.rows(rowsOf, `SELECT _row FROM ${ident(stagingTable(table))} t WHERE ${condition} ORDER BY _row`)).map((r) => r._row);

describe('IDS00131 Gender not in its code list (code list)', () => {
  it('compiles to NOT IN over the spec codes of Gender', () => {
    expect(rowCondition(rule('IDS00131'), ctx)).toBe(`filled("Gender") AND "Gender" NOT IN ('1', '2', '9', 'X')`);
  });

  it('fails a populated unknown code only: a blank value is for IDS00129', async () => {
    await stage({ IDS001MPI: [{ Gender: '2' }, { Gender: 'Q' }, { Gender: '' }, { Gender: null }, { Gender: 'X' }] });
    expect(await failingRows('IDS001MPI', rowCondition(rule('IDS00131'), ctx))).toEqual([2]);
  });
});

describe('IDS20108 CareContDate after the reporting period end (date window)', () => {
  it('compiles to a comparison of the submitted date with the period end', () => {
    expect(rowCondition(rule('IDS20108'), ctx)).toBe(`d("CareContDate") > DATE '2024-05-31'`);
  });

  it('fails a date after 31 May 2024, not the last day itself nor an unreadable date (IDS20107 reports that)', async () => {
    await stage({ IDS201CareContact: [{ CareContDate: '2024-05-31' }, { CareContDate: '2024-06-01' }, { CareContDate: '31/05/2024' }, { CareContDate: '2024-06-01T00:00:00' }] });
    expect(await failingRows('IDS201CareContact', rowCondition(rule('IDS20108'), ctx))).toEqual([2, 4]);
  });

  it('is not applicable when the reporting period is not known', () => {
    expect(() => rowCondition(rule('IDS20108'), { ...ctx, rpStart: null, rpEnd: null })).toThrow(RuleNotApplicable);
  });
});

describe('IDS00030 OrgIDProv differs from the submitting organisation (custom SQL with a context value)', () => {
  it('fills $provider as a literal', () => {
    expect(rowCondition(rule('IDS00030'), { ...ctx, provider: "R'1" })).toBe(`OrgIDProv <> 'R''1'`);
  });

  it('names the missing value when the run has none', () => {
    expect(() => contextParams({ ...ctx, provider: null }).provider).toThrow('the submitting organisation is not known');
  });
});

describe('IDS20142 a contact without a valid referral (referential)', () => {
  const ids20142 = cascadeRules(ctx).find((r) => r.code === 'IDS20142')!;

  it('compiles to: record the contacts with no valid referral, then reject them', () => {
    expect(ids20142).toEqual({ code: 'IDS20142', table: 'IDS201CareContact', partner: 'IDS101Referral', key: 'ServiceRequestId' });
    expect(cascadeRuleSql(ids20142)).toBe(
      `INSERT INTO fail SELECT 'IDS20142', 'IDS201CareContact', own._row, 'ServiceRequestId', own."ServiceRequestId" FROM "stg_IDS201CareContact" own ` +
        `WHERE NOT EXISTS (SELECT 1 FROM rejected rj WHERE rj.tbl = 'IDS201CareContact' AND rj._row = own._row) ` +
        `AND NOT EXISTS (SELECT 1 FROM "stg_IDS101Referral" other WHERE other."ServiceRequestId" = own."ServiceRequestId" ` +
        `AND NOT EXISTS (SELECT 1 FROM rejected rj WHERE rj.tbl = 'IDS101Referral' AND rj._row = other._row)); ` +
        `INSERT INTO rejected SELECT tbl, _row FROM fail f WHERE code = 'IDS20142' AND NOT EXISTS (SELECT 1 FROM rejected x WHERE x.tbl = f.tbl AND x._row = f._row)`,
    );
  });

  it('fails a contact whose referral is missing or was rejected, and rejects it', async () => {
    await stage({
      IDS101Referral: [{ ServiceRequestId: 'R1' }, { ServiceRequestId: 'R2' }],
      IDS201CareContact: [{ ServiceRequestId: 'R1' }, { ServiceRequestId: 'R9' }, { ServiceRequestId: 'R2' }],
    });
    await db.run(`INSERT INTO rejected VALUES ('IDS101Referral', 2)`); // R2 failed a reject-record rule
    await db.run(cascadeRuleSql(ids20142));
    const failed = await db.rows(z.object({ _row: sqlInteger, value: z.string() }), `SELECT _row, value FROM fail WHERE code = 'IDS20142' ORDER BY _row`);
    expect(failed).toEqual([
      { _row: 2, value: 'R9' },
      { _row: 3, value: 'R2' },
    ]);
    expect(await db.count(`SELECT count(*) FROM rejected WHERE tbl = 'IDS201CareContact'`)).toBe(2);
  });
});

describe('IDS60616 the same assessment twice for a referral (uniqueness, blanks compared as equal)', () => {
  it('fails every row of the group, a blank time matching a blank time, and rejects them all', async () => {
    const score = { ServiceRequestId: 'R1', CodedAssToolType: '720433000', AssToolCompDate: '2024-05-07' };
    await stage({
      IDS606CodedScoreAssessmentRefer: [
        { ...score, AssToolCompTime: '' },
        { ...score, AssToolCompTime: null },
        { ...score, AssToolCompTime: '10:00:00' },
      ],
    });
    const notRun: NotRun[] = [];
    await runUniquenessRules(db, ctx, notRun);
    const failed = await db.rows(z.object({ code: z.string(), _row: sqlInteger }), `SELECT code, _row FROM fail ORDER BY _row`);
    expect(failed).toEqual([
      { code: 'IDS60616', _row: 1 },
      { code: 'IDS60616', _row: 2 },
    ]);
    expect(await db.count(`SELECT count(*) FROM rejected WHERE tbl = 'IDS606CodedScoreAssessmentRefer'`)).toBe(2);
    expect(notRun).toEqual([]);
  });
});

describe('the referential cascade', () => {
  it('runs the rules in the order the rule definitions give: the NHS order, ours, then IDS00145 and IDS00146', () => {
    expect(cascadeRules(ctx).map((r) => r.code)).toEqual([
      'IDS00220', 'IDS10101', 'IDS20142', 'IDS20224', 'IDS60612', 'IDS60708', 'IDS00401', 'IDS00701', 'IDS01101', 'IDS01201',
      'IDS80301', 'IDS10510', 'IDS10801', 'IDS20501', 'IDS60201', 'IDS60301', 'IDS00301', 'IDS60101', 'IDS00145', 'IDS00146',
    ]);
    // IDS003 and IDS601 are new in v2.1: a v2.0 file has none.
    expect(cascadeRules({ ...ctx, version: '2.0' }).map((r) => r.code)).not.toContain('IDS00301');
    const orders = RULES.flatMap((r) => (r.check.kind === 'referential' || r.check.kind === 'parentWithoutChild' ? [r.check.order] : []));
    expect(new Set(orders).size).toBe(orders.length);
  });

  it('repeats until a pass rejects nothing more, however deep the tree', async () => {
    // The chain patient → referral → contact → activity → score, checked leaf first: each pass reaches one level
    // further down, so four passes reject and the fifth finds nothing more.
    const leafFirst: CascadeRule[] = ['IDS60708', 'IDS20224', 'IDS20142', 'IDS10101'].map((code) => cascadeRules(ctx).find((r) => r.code === code)!);
    await stage({
      IDS001MPI: [{ LocalPatientId: 'P1' }],
      IDS101Referral: [{ ServiceRequestId: 'R1', LocalPatientId: 'P1' }],
      IDS201CareContact: [{ CareContactId: 'C1', ServiceRequestId: 'R1' }],
      IDS202CareActivity: [{ CareActId: 'A1', CareContactId: 'C1' }],
      IDS607CodedScoreAssessmentAct: [{ CareActId: 'A1' }],
    });
    await db.run(`INSERT INTO rejected VALUES ('IDS001MPI', 1)`);
    expect(await runReferentialCascade(db, leafFirst)).toBe(5);
    const codes = await db.rows(z.object({ code: z.string() }), `SELECT code FROM fail ORDER BY code`);
    expect(codes.map((c) => c.code)).toEqual(['IDS10101', 'IDS20142', 'IDS20224', 'IDS60708']);
  });
});

describe('IDSREJ007 a postcode not in the UK pattern (file level)', () => {
  it('compiles to a query of the IDS001 rows whose filled postcode misses the pattern of src/dataset/checks.ts', () => {
    expect(fileRuleRows(rule('IDSREJ007'), ctx)).toBe(
      `SELECT _row, "Postcode" AS value FROM "stg_IDS001MPI" WHERE filled(Postcode) AND NOT regexp_full_match(Postcode, '[A-Za-z]{1,2}[0-9][A-Za-z0-9]?\\s+[0-9][A-Za-z]{2}')`,
    );
  });

  it('finds the malformed postcodes; a blank one passes', async () => {
    await stage({ IDS001MPI: [{ Postcode: 'LS1 4AP' }, { Postcode: 'LS14AP' }, { Postcode: '' }, { Postcode: 'SW1A 1AA' }, { Postcode: 'NOT A PC' }] });
    const found = await db.rows(z.object({ _row: sqlInteger, value: z.string() }), `${fileRuleRows(rule('IDSREJ007'), ctx)} ORDER BY _row`);
    expect(found).toEqual([
      { _row: 2, value: 'LS14AP' },
      { _row: 5, value: 'NOT A PC' },
    ]);
  });
});

describe('IDSREJ008 a birth date after the period or over 120 years before it (file level, with context)', () => {
  it('fills the reporting period into the rule', () => {
    expect(fileRuleRows(rule('IDSREJ008'), ctx)).toBe(
      `SELECT _row, "PersonBirthDate" AS value FROM "stg_IDS001MPI" WHERE d(PersonBirthDate) > DATE '2024-05-31' OR date_sub('month', d(PersonBirthDate), DATE '2024-05-01') // 12 > 120`,
    );
  });

  it('finds a birth after 31 May 2024 and an age of 121 whole years on 1 May 2024, not an age of exactly 120', async () => {
    await stage({ IDS001MPI: [{ PersonBirthDate: '2024-06-01' }, { PersonBirthDate: '1903-05-01' }, { PersonBirthDate: '1904-05-01' }, { PersonBirthDate: '1980-02-15' }] });
    const found = await db.rows(rowsOf, `${fileRuleRows(rule('IDSREJ008'), ctx)} ORDER BY _row`);
    expect(found.map((r) => r._row)).toEqual([1, 2]);
  });

  it('is not applicable without a reporting period', () => {
    expect(() => fileRuleRows(rule('IDSREJ008'), { ...ctx, rpStart: null, rpEnd: null })).toThrow(RuleNotApplicable);
  });
});
