// The quarterly variable breakdowns V001–V015: labels exactly as NHS England's metadata, and categories computed
// over hand-built rows (M001, referrals received in May 2024, counted per category).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/intake/duckdb.js';
import { VARIABLE_BREAKDOWNS } from '../../src/measures/variables.js';
import { ids, measure, type Row } from './fixture.js';

const METADATA = fileURLToPath(new URL('../../reference/nhs/metadata_measures_monthly.parquet', import.meta.url));

describe('V001–V015 labels', () => {
  it('match the metadata: variable type, VariableA and VariableB of every category, and nothing more', async () => {
    const db = await openDb();
    try {
      const rows = await db.all<{ id: string; type: string; a: string; b: string }>(
        `SELECT measure_id AS id, trim(regexp_extract(measure_name, 'Variable Type:\\s*([^\\r\\n]*)', 1)) AS type, trim(regexp_extract(measure_name, 'Variable A:\\s*([^\\r\\n]*)', 1)) AS a, ` +
          `trim(regexp_extract(measure_name, 'Variable B:\\s*([^\\r\\n]*)', 1)) AS b FROM read_parquet('${METADATA}') WHERE measure_type = 'Variable'`,
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
  it('puts non-finishers and unknown indicators in Not stated', async () => {
    const finished = (first: string, last: string): Row => ({ CompletedTreatment_Flag: true, ServDischDate: '2024-05-20', PsychotropicIndicator_First: first, PsychotropicIndicator_Last: last });
    const result = await counts('Psychotropic Medication Status', {
      referrals: [referral('m1', finished('01', '03')), referral('m2', finished('3', '3')), referral('m3', finished('02', 'UU')), referral('m4', { PsychotropicIndicator_First: '01', PsychotropicIndicator_Last: '01' })],
    });
    expect(result).toEqual({ 'Prescribed first session and not last session': 1, 'Not prescribed first session and not last session': 1, 'Not stated/Not known/Invalid': 2 });
  });
});
