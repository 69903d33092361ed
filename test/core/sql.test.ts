// The SQL vocabulary: what each builder writes, and that DuckDB reads it back as the value it was given.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/core/db.js';
import { and, caseOf, caseWhen, col, dateLiteral, fill, ident, isIn, list, listValue, literal, ne, notIn, or, startsWithPattern, struct, values } from '../../src/core/sql.js';

describe('core/sql builders', () => {
  it('quotes identifiers and literals, doubling the quote character', () => {
    expect(ident('ServDischDate')).toBe('"ServDischDate"');
    expect(ident('a"b')).toBe('"a""b"');
    expect(col('r', 'ServDischDate')).toBe('r."ServDischDate"');
    expect(col(undefined, 'ServDischDate')).toBe('"ServDischDate"');
    expect(literal("O'Brien")).toBe("'O''Brien'");
    expect(literal(null)).toBe('NULL');
    expect(literal(true)).toBe('TRUE');
    expect(literal(12.5)).toBe('12.5');
    expect(literal(10n)).toBe('10');
    expect(() => literal(Number.NaN)).toThrow(/cannot be a SQL literal/);
  });

  it('writes dates, lists, IN and NOT IN, with empty lists false and true', () => {
    expect(dateLiteral('2024-09-30')).toBe("DATE '2024-09-30'");
    expect(() => dateLiteral("2024-09-30' OR 1=1 --")).toThrow(/not a date/);
    expect(list(['5', '6'])).toBe("'5', '6'");
    expect(isIn('AttendOrDNACode', ['5', '6'])).toBe("AttendOrDNACode IN ('5', '6')");
    expect(isIn('x', [])).toBe('false');
    expect(notIn('x', [])).toBe('true');
    expect(listValue(['a', null])).toBe("['a', NULL]");
    expect(values([['a', 1], ['b', 2]])).toBe("('a', 1), ('b', 2)");
    expect(struct({ a: "x'y", b: null })).toBe("{'a': 'x''y', 'b': NULL}");
  });

  it('joins conditions, leaving out the absent ones', () => {
    expect(and('a', false, 'b')).toBe('((a) AND (b))');
    expect(and('a')).toBe('a');
    expect(and()).toBe('true');
    expect(or(undefined, null)).toBe('false');
    expect(or('a', 'b')).toBe('((a) OR (b))');
  });

  it('writes CASE look-ups, and the otherwise value when there is no branch', () => {
    expect(caseWhen([['x > 1', "'big'"]], "'small'")).toBe("CASE WHEN x > 1 THEN 'big' ELSE 'small' END");
    expect(caseWhen([], "'small'")).toBe("'small'");
    expect(caseOf('ADSM', [['GAD', '8']], '10')).toBe("CASE ADSM WHEN 'GAD' THEN 8 ELSE 10 END");
  });

  it('fills $name placeholders with literals and refuses a missing one', () => {
    expect(fill('d BETWEEN $start AND $end AND p = $provider', { start: { date: '2024-09-01' }, end: { date: '2024-09-30' }, provider: "R'1" })).toBe(
      "d BETWEEN DATE '2024-09-01' AND DATE '2024-09-30' AND p = 'R''1'",
    );
    expect(() => fill('d <= $end', {})).toThrow(/no value for \$end/);
    expect(fill("x = '$end' AND y = 'it''s $end' AND d <= $end", { end: { date: '2024-09-30' } })).toBe("x = '$end' AND y = 'it''s $end' AND d <= DATE '2024-09-30'");
  });
});

describe('core/sql literals read back by DuckDB', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openDb();
  });
  afterAll(() => db.close());

  it('reads every literal back as the value it was given', async () => {
    const hostile = ["O'Brien", "'; DROP TABLE x; --", 'a\\b', '$end', '100%_'];
    const rows = await db.all(`SELECT v FROM (VALUES ${values(hostile.map((h, i) => [i, h]))}) t(i, v) ORDER BY i`);
    expect(rows.map((r) => r.v)).toEqual(hostile);
  });

  it('matches prefixes literally, % and _ included', async () => {
    const rows = await db.all(`SELECT v FROM (VALUES ('100%_a'), ('100xya'), ('F41')) t(v) WHERE v LIKE ${startsWithPattern('100%_')}`);
    expect(rows.map((r) => r.v)).toEqual(['100%_a']);
  });

  it('binds named parameters and counts', async () => {
    expect(await db.count('SELECT count(*) FROM range(10) WHERE range < $n', { n: 4 })).toBe(4);
    expect(await db.columns('(SELECT 1 AS a, 2 AS b)')).toEqual(['a', 'b']);
  });
});

describe('core/sql ne (measures)', () => {
  it('writes expr <> literal, the quote doubled', () => {
    expect(ne('AppType', '06')).toBe("AppType <> '06'");
    expect(ne('x', "a'b")).toBe("x <> 'a''b'");
  });
});
