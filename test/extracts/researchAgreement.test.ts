// The Data Sharing Agreement file of a research extract (src/extracts/research/agreement.ts): a good file reads,
// and a bad one is refused with one line per problem, each naming the file and the field, never a zod dump.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IaptError } from '../../src/core/errors.js';
import { readAgreement } from '../../src/extracts/research/agreement.js';

const root = mkdtempSync(join(tmpdir(), 'iapt-agreement-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const EXAMPLE = resolve(import.meta.dirname, '../../examples/agreement-example.json');

const good = {
  id: 'DARS-NIC-123456',
  recipient: 'A university',
  purpose: 'Outcomes of talking therapies by employment status',
  periods: { from: '2024-04', to: '2024-09' },
  tables: { IAPT_demographics_and_referral: ['Gender', 'Recovery_Flag'] },
  optOut: 'apply',
  organisationCodes: 'encrypt',
  geography: 'sub-icb',
};

let n = 0;
/** Writes `json` to a new file and returns its path. */
function file(json: unknown): string {
  const path = join(root, `agreement-${++n}.json`);
  writeFileSync(path, typeof json === 'string' ? json : JSON.stringify(json));
  return path;
}

/** The lines of the error readAgreement raises, with the file name replaced by FILE. */
function problems(json: unknown): string[] {
  const path = file(json);
  try {
    readAgreement(path);
  } catch (error) {
    expect(error).toBeInstanceOf(IaptError);
    expect((error as IaptError).kind).toBe('input');
    return (error as IaptError).message.split('\n').map((line) => line.replace(path, 'FILE'));
  }
  throw new Error('the agreement was accepted');
}

describe('a research agreement file', () => {
  it('reads a good file, with the date of birth released as the age at referral unless it says otherwise', () => {
    const agreement = readAgreement(file(good));
    expect(agreement).toEqual({ ...good, dateOfBirth: 'age-at-referral' });
    expect(readAgreement(file({ ...good, optOut: { exempt: 'CAG 21/CAG/0001 (s.251)' }, dateOfBirth: 'year-month' }))).toMatchObject({
      optOut: { exempt: 'CAG 21/CAG/0001 (s.251)' },
      dateOfBirth: 'year-month',
    });
  });

  it('reads the example agreement of examples/', () => {
    const agreement = readAgreement(EXAMPLE);
    expect(Object.keys(agreement.tables)).toEqual(['IAPT_demographics_and_referral', 'IAPT_coded_scored_assessments', 'IAPT_care_activities']);
    expect(agreement).toMatchObject({ optOut: 'apply', organisationCodes: 'encrypt', geography: 'sub-icb' });
    expect(JSON.parse(readFileSync(EXAMPLE, 'utf8')).tables.IAPT_demographics_and_referral).toContain('PersonBirthDate');
  });

  it('names each bad field on a line of its own', () => {
    expect(
      problems({
        ...good,
        id: 'DARS NIC 1',
        purpose: '  ',
        periods: { from: '2024-13', to: '2024-09' },
        optOut: 'ignore',
        organisationCodes: 'hash',
        geography: 'ward',
        dateOfBirth: 'full',
        extra: 1,
      }),
    ).toEqual([
      'FILE: id: "DARS NIC 1" is not an agreement identifier (letters, digits and hyphens, e.g. DARS-NIC-123456)',
      'FILE: purpose: must be the purpose the data are processed for, not blank',
      'FILE: periods.from: "2024-13" is not a reporting period (YYYY-MM)',
      'FILE: optOut: must be "apply" or { "exempt": "<the legal basis>" }, not "ignore"',
      'FILE: organisationCodes: "hash" is not one of "clear", "encrypt"',
      'FILE: geography: "ward" is not one of "none", "lsoa", "postcode-district", "sub-icb", "icb", "region"',
      'FILE: dateOfBirth: "full" is not one of "age-at-referral", "year-month"',
      'FILE: unknown field "extra" (the fields are id, recipient, purpose, periods, tables, optOut, organisationCodes, geography, dateOfBirth)',
    ]);
  });

  it('says which fields are missing, and refuses periods in the wrong order, an empty exemption and unknown fields inside', () => {
    expect(problems({ id: 'X-1', tables: good.tables, periods: { from: '2024-09', to: '2024-04', until: 'x' }, optOut: { exempt: '' } })).toEqual([
      'FILE: recipient: is missing',
      'FILE: purpose: is missing',
      'FILE: periods: unknown field "until" (the fields are from, to)',
      'FILE: periods: from 2024-09 is after to 2024-04',
      'FILE: optOut.exempt: must be the exemption and its legal basis, not blank',
      'FILE: organisationCodes: is missing',
      'FILE: geography: is missing',
    ]);
    expect(problems({ ...good, periods: { from: '2024-09', to: '2024-04' } })).toEqual(['FILE: periods: from 2024-09 is after to 2024-04']);
    expect(problems({ ...good, optOut: { exempt: 'x', basis: 'y' } })).toEqual(['FILE: optOut: unknown field "basis" (the fields are exempt)']);
  });

  it('refuses a file that is not JSON, or not an object', () => {
    expect(problems('{ "id": ')[0]).toMatch(/^FILE: not JSON \(/);
    expect(problems([good])).toEqual([
      'FILE: not an agreement: a JSON object with the fields id, recipient, purpose, periods, tables, optOut, organisationCodes, geography, dateOfBirth is wanted, not a list',
    ]);
  });

  it('refuses a table that is not one of the nine UK LLC tables, and a table without items', () => {
    expect(problems({ ...good, tables: { IAPT_demographics: ['Gender'], IAPT_care_cluster: [] } })).toEqual([
      'FILE: tables.IAPT_care_cluster: lists no item: list at least one, or leave the table out',
      'FILE: tables: "IAPT_demographics" is not a UK LLC IAPT table (the nine are IAPT_demographics_and_referral, IAPT_employment_status, IAPT_internet_enabled_therapies, IAPT_care_activities, IAPT_coded_scored_assessments, IAPT_care_cluster, IAPT_mental_and_physical_health_conditions, IAPT_onward_referrals, IAPT_waiting_time_pauses)',
    ]);
    expect(problems({ ...good, tables: {} })).toEqual(['FILE: tables: names no table: list at least one UK LLC table and its items']);
  });

  it('refuses identifiable items (but the birth date), national pseudonyms and system keys, and the extract’s own keys, whatever the agreement says', () => {
    const tables = {
      IAPT_demographics_and_referral: ['NHSNumber', 'Postcode', 'LocalPatientId', 'ServiceRequestId', 'PersonBirthDate', 'Person_ID', 'PathwayID', 'UniqueSubmissionID', 'UniqueID_IDS101', 'cohortkey_e'],
      IAPT_care_activities: ['CareContactId', 'CarePersLocalId', 'Unique_CareContactID', 'Unique_CarePersonnelID_Local', 'CareContDate', 'CareContDate'],
      IAPT_employment_status: ['PersonBirthDate'],
    };
    expect(problems({ ...good, tables })).toEqual([
      'FILE: tables.IAPT_demographics_and_referral: NHSNumber (NHS NUMBER) is identifiable and is never released in a research extract',
      'FILE: tables.IAPT_demographics_and_referral: Postcode (POSTCODE OF USUAL ADDRESS) is identifiable and is never released in a research extract',
      'FILE: tables.IAPT_demographics_and_referral: LocalPatientId (LOCAL PATIENT IDENTIFIER (EXTENDED)) is identifiable and is never released in a research extract',
      'FILE: tables.IAPT_demographics_and_referral: ServiceRequestId (SERVICE REQUEST IDENTIFIER) is identifiable and is never released in a research extract',
      'FILE: tables.IAPT_demographics_and_referral: Person_ID is a national pseudonym or system key, never released in a research extract: linkage keys are given as cohortkey_e and PathwayID_e',
      'FILE: tables.IAPT_demographics_and_referral: PathwayID is a national pseudonym or system key, never released in a research extract: linkage keys are given as cohortkey_e and PathwayID_e',
      'FILE: tables.IAPT_demographics_and_referral: UniqueSubmissionID is a national pseudonym or system key, never released in a research extract: linkage keys are given as cohortkey_e and PathwayID_e',
      'FILE: tables.IAPT_demographics_and_referral: UniqueID_IDS101 is a national pseudonym or system key, never released in a research extract: linkage keys are given as cohortkey_e and PathwayID_e',
      'FILE: tables.IAPT_demographics_and_referral: cohortkey_e is a key every research extract carries where it applies: list only the items',
      'FILE: tables.IAPT_care_activities: CareContactId (CARE CONTACT IDENTIFIER) is identifiable and is never released in a research extract',
      'FILE: tables.IAPT_care_activities: CarePersLocalId (CARE PERSONNEL LOCAL IDENTIFIER) is identifiable and is never released in a research extract',
      'FILE: tables.IAPT_care_activities: Unique_CareContactID is a national pseudonym or system key, never released in a research extract: linkage keys are given as cohortkey_e and PathwayID_e',
      'FILE: tables.IAPT_care_activities: Unique_CarePersonnelID_Local is a national pseudonym or system key, never released in a research extract: linkage keys are given as cohortkey_e and PathwayID_e',
      'FILE: tables.IAPT_care_activities: CareContDate is listed twice',
      'FILE: tables.IAPT_employment_status: PersonBirthDate is released only in IAPT_demographics_and_referral (as the age at referral, or the year and month of birth: dateOfBirth)',
    ]);
  });

  it('refuses geography finer than the agreement allows, and any geography when it allows none', () => {
    const tables = { IAPT_demographics_and_referral: ['LSOA2011', 'Postcode_District', 'OrgIDSubICBLocResidence', 'OrgIDICBRes', 'CommissioningRegion', 'IndicesOfDeprivationDecile'] };
    // LSOA (finest) … region (coarsest): "icb" allows the ICB and the region; "none" allows neither.
    expect(problems({ ...good, geography: 'icb', tables })).toEqual([
      'FILE: tables.IAPT_demographics_and_referral: LSOA2011 places a person at lsoa level, finer than the agreement\'s geography "icb"',
      'FILE: tables.IAPT_demographics_and_referral: Postcode_District places a person at postcode-district level, finer than the agreement\'s geography "icb"',
      'FILE: tables.IAPT_demographics_and_referral: OrgIDSubICBLocResidence places a person at sub-icb level, finer than the agreement\'s geography "icb"',
    ]);
    expect(problems({ ...good, geography: 'none', tables })).toEqual(
      ['LSOA2011 places a person at lsoa', 'Postcode_District places a person at postcode-district', 'OrgIDSubICBLocResidence places a person at sub-icb', 'OrgIDICBRes places a person at icb', 'CommissioningRegion places a person at region'].map(
        (p) => `FILE: tables.IAPT_demographics_and_referral: ${p} level, and the agreement releases no geography (geography: "none")`,
      ),
    );
    expect(readAgreement(file({ ...good, geography: 'lsoa', tables })).tables).toEqual(tables);
  });
});
