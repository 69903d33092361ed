// The quarterly variable breakdowns V001–V015: labels exactly as NHS England's metadata, and categories computed
// over hand-built rows (M001, referrals received in May 2024, counted per category).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/core/db.js';
import { literal } from '../../src/core/sql.js';
import { VARIABLE_BREAKDOWNS } from '../../src/measures/variables.js';
import { ids, measure, type Row } from './fixture.js';
import { readRows } from '../helpers/db.js';

const METADATA = fileURLToPath(new URL('../../reference/nhs/metadata_measures_monthly.parquet', import.meta.url));

describe('V001–V015 labels', () => {
  it('match the metadata: variable type, VariableA and VariableB of every category, and nothing more', async () => {
    const db = await openDb();
    try {
      const rows = await readRows<{ id: string; type: string; a: string; b: string }>(db, 
        `SELECT measure_id AS id, trim(regexp_extract(measure_name, 'Variable Type:\\s*([^\\r\\n]*)', 1)) AS type, trim(regexp_extract(measure_name, 'Variable A:\\s*([^\\r\\n]*)', 1)) AS a, ` +
          `trim(regexp_extract(measure_name, 'Variable B:\\s*([^\\r\\n]*)', 1)) AS b FROM read_parquet(${literal(METADATA)}) WHERE measure_type = 'Variable'`,
      );
      const published = new Set(rows.map((r) => [r.id, r.type, r.a, r.b].join(' | ')));
      const ours = new Set(VARIABLE_BREAKDOWNS.flatMap((v) => v.categories.map((c) => [v.id, v.type, c.a, c.b].join(' | '))));
      expect([...ours].filter((x) => !published.has(x))).toEqual([]);
      expect([...published].filter((x) => !ours.has(x))).toEqual([]);
    } finally {
      db.close();
    }
  });
});

const referral = (id: string, row: Row = {}): Row => ({ PathwayID: id, Person_ID: `p-${id}`, ReferralRequestReceivedDate: '2024-05-10', ...row });
const variable = (type: string) => VARIABLE_BREAKDOWNS.find((v) => v.type === type)!;
/** M001 per category of a variable (England), omitting empty categories. */
async function counts(type: string, fixture: Parameters<typeof measure>[0]): Promise<Record<string, number>> {
  const { values } = await measure(fixture, ids('M001'), { breakdown: variable(type) });
  const out: Record<string, number> = {};
  for (const v of values) if (v.groupType === 'England' && v.value) out[v.variableB ? `${v.variableA} / ${v.variableB}` : v.variableA] = v.value;
  return out;
}

describe('V003 Disability: every code of the person, an invalid one, none', () => {
  it('counts a person with two codes in both categories', async () => {
    const disability = (person: string, code: string): Row => ({ Person_ID: person, DisabCode: code });
    const result = await counts('Disability', {
      referrals: [referral('d1'), referral('d2'), referral('d3'), referral('d4'), referral('d5', { ReferralRequestReceivedDate: '2024-04-30' })],
      disabilities: [disability('p-d1', '02'), disability('p-d1', '09'), disability('p-d2', 'NN'), disability('p-d3', '99'), disability('p-d5', '02')],
    });
    expect(result).toEqual({ '02 Hearing': 1, '09 Sight': 1, 'NN No Disability': 1, 'Invalid code': 1, 'No code': 1 });
  });
});

describe('V013 Religion and V014 Sexual Orientation: the latest listed record of the person', () => {
  const circumstance = (person: string, code: string, date: string): Row => ({ Person_ID: person, SocPerCircumstance: code, SocPerCircumstanceRecDate: date, UniqueID_IDS011: Number(date.replaceAll('-', '')) });
  const fixture = {
    referrals: [referral('r1'), referral('r2'), referral('r3')],
    socialCircumstances: [
      circumstance('p-r1', '160549006', '2023-01-01'), // Christian, superseded
      circumstance('p-r1', '160552003', '2024-01-01'), // None
      circumstance('p-r1', '89217008', '2023-06-01'), // Gay/Lesbian (second code)
      circumstance('p-r2', '429787006', '2024-02-01'), // Jain
      circumstance('p-r2', '999999', '2024-03-01'), // neither: ignored
    ],
  };

  it('religion', async () => {
    expect(await counts('Religion', fixture)).toEqual({ None: 1, Jain: 1, 'Not stated/Not known/Invalid': 1 });
  });

  it('sexual orientation', async () => {
    expect(await counts('Sexual Orientation', fixture)).toEqual({ 'Gay/Lesbian': 1, 'Not stated/Not known/Invalid': 2 });
  });
});

describe('V010 LongTermCondition: referrals with an integrated contact', () => {
  it('counts their codes; without an integrated contact or with an unlisted code, Invalid Code', async () => {
    const ltc = (pathway: string, code: string | null): Row => ({ PathwayID: pathway, LongTermCondition: code });
    const integrated = { IntegratedContact_FirstDate: '2024-05-12' };
    const result = await counts('LongTermCondition', {
      referrals: [referral('l1', integrated), referral('l2', integrated), referral('l3', integrated), referral('l4')],
      longTermConditions: [ltc('l1', '73211009'), ltc('l1', '195967001'), ltc('l2', '12345'), ltc('l4', '73211009')],
    });
    expect(result).toEqual({ 'Diabetes mellitus': 1, Asthma: 1, 'Invalid Code': 2, 'No code recorded': 1 });
  });
});

describe('V009 IETprogramme: programme names by the texts they contain, case-insensitively', () => {
  it('counts each programme of the referral, others as Other/unknown, none as No recorded IET', async () => {
    const log = (pathway: string, programme: string | null): Row => ({ PathwayID: pathway, IntEnabledTherProg: programme, StartDateIntEnabledTherLog: '2024-05-12', EndDateIntEnabledTherLog: '2024-05-19' });
    const result = await counts('IETprogramme', {
      referrals: [referral('i1'), referral('i2'), referral('i3')],
      internetLogs: [log('i1', 'SLVRCLD Space from depression'), log('i1', 'sleepio'), log('i2', 'Some app')],
    });
    expect(result).toEqual({ Silvercloud: 1, Sleepio: 1, 'Other/unknown IET': 1, 'No recorded IET': 1 });
  });
});

describe('V012 Psychotropic Medication Status: finishers of the period by first and last indicator', () => {
  // metadata_measures_monthly V012: the four stated categories are finishers of the period (CompletedTreatment_Flag,
  // ServDischDate in the period) by indicator; "Not stated/Not known/Invalid" is "First NOT IN (stated codes) OR
  // Last NOT IN (stated codes) OR ServDischDate not between the period's dates", which is not true of a missing
  // value (SQL: NULL NOT IN … and NULL NOT BETWEEN … are unknown). Our one reading: a finisher of the period with a
  // missing indicator is not stated (annual metadata 2024-25: "PsychotropicIndicator_First IS NULL").
  const row = (ended: string | null, finished: boolean, first: string | null, last: string | null): Row => ({ CompletedTreatment_Flag: finished, ServDischDate: ended, PsychotropicIndicator_First: first, PsychotropicIndicator_Last: last });
  const fixture = {
    referrals: [
      referral('v1', row('2024-05-20', true, '01', '03')), // prescribed first, not last
      referral('v2', row('2024-05-20', true, '3', '3')), // not prescribed either time
      referral('v3', row('2024-05-20', true, '02', 'UU')), // an invalid last indicator: not stated
      referral('v4', row(null, false, '01', '01')), // open: no category (was not stated)
      referral('v5', row(null, false, null, null)), // open, nothing recorded: no category (was not stated)
      referral('v6', row(null, false, '9', null)), // open with an invalid code: not stated (9 NOT IN the codes)
      referral('v7', row('2024-05-20', true, null, '02')), // a finisher without a first indicator: not stated (our reading)
      referral('v8', row('2024-05-21', false, null, null)), // ended in May without finishing: no category (was not stated)
      referral('v9', row('2024-06-03', true, '01', '01')), // ended after the period: not stated (not between)
    ],
  };

  it('puts invalid indicators, finishers without one and referrals ended outside the period in Not stated; open referrals and other endings in none', async () => {
    expect(await counts('Psychotropic Medication Status', fixture)).toEqual({
      'Prescribed first session and not last session': 1, // v1
      'Not prescribed first session and not last session': 1, // v2
      'Not stated/Not known/Invalid': 4, // v3, v6, v7, v9
    });
  });

  it('puts every finisher of the period in exactly one category (M076 = the sum of its V012 rows)', async () => {
    const { values } = await measure(fixture, ids('M076'), { breakdown: variable('Psychotropic Medication Status') });
    const byCategory = Object.fromEntries(values.filter((v) => v.groupType === 'England' && v.value).map((v) => [v.variableA, v.value]));
    // Finishers in May: v1, v2, v3, v7 (v9 ended in June).
    expect(byCategory).toEqual({ 'Prescribed first session and not last session': 1, 'Not prescribed first session and not last session': 1, 'Not stated/Not known/Invalid': 2 });
  });
});
