// The spec's identifiable items (ItemSpec.identifiable) are what drives linkage, the provider extract and the privacy
// test of process.test.ts, so they are checked here against the NHS elements themselves: every item of an element
// that identifies a patient or is a provider's local record identifier is flagged, and no other.
import { describe, expect, it } from 'vitest';
import { TABLES, type Identifiable } from '../../src/dataset/index.js';
import { identifiersOf } from '../../src/linkage/national.js';

/** NHS Data Dictionary elements that identify a person or lead to one, wherever they appear (reference §2–§3). */
const IDENTIFYING: Readonly<Record<string, Identifiable>> = {
  'NHS NUMBER': 'person',
  'PERSON BIRTH DATE': 'person',
  'POSTCODE OF USUAL ADDRESS': 'person',
  'LOCAL PATIENT IDENTIFIER (EXTENDED)': 'person',
  'SERVICE REQUEST IDENTIFIER': 'record',
  'CARE CONTACT IDENTIFIER': 'record',
  'CARE ACTIVITY IDENTIFIER': 'record',
  'CARE PERSONNEL LOCAL IDENTIFIER': 'record',
};

/** Elements named IDENTIFIER that identify no person, each with the reason. */
const NOT_IDENTIFYING: Readonly<Record<string, string>> = {
  'ORGANISATION IDENTIFIER (CODE OF PROVIDER)': 'an organisation code',
  'ORGANISATION IDENTIFIER (CODE OF SUBMITTING ORGANISATION)': 'an organisation code',
  'ORGANISATION IDENTIFIER (CODE OF COMMISSIONER)': 'an organisation code',
  'ORGANISATION IDENTIFIER (LOCAL PATIENT IDENTIFIER)': 'the organisation that issued the local patient identifier, not the identifier',
  'ORGANISATION IDENTIFIER (RECEIVING)': 'an organisation code',
  'ORGANISATION SITE IDENTIFIER (OF TREATMENT)': 'a site code',
  'IMPROVING ACCESS TO PSYCHOLOGICAL THERAPIES ACTIVITY SUSPENSION IDENTIFIER': "a pause's number within its referral (an5), meaningless without the ServiceRequestId, which is dropped",
};

const items = TABLES.flatMap((t) => t.items.map((i) => ({ table: t.name, ...i })));

describe('identifiable items of the spec', () => {
  it('flags exactly the items of the identifying elements, as person or record', () => {
    for (const i of items) expect([i.table, i.name, i.identifiable ?? null]).toEqual([i.table, i.name, IDENTIFYING[i.element] ?? null]);
  });

  it('names every IDENTIFIER element either identifying or not, with a reason', () => {
    const elements = new Set(items.map((i) => i.element).filter((e) => /\bIDENTIFIER\b/.test(e)));
    for (const e of elements) expect(e in IDENTIFYING || e in NOT_IDENTIFYING, e).toBe(true);
  });

  it('flags on IDS001 and IDS101 the items docs/linkage.md names: NHS number, birth date, postcode, LocalPatientId, ServiceRequestId', () => {
    const flagged = (table: string) => items.filter((i) => i.table === table && i.identifiable).map((i) => i.name);
    expect(flagged('IDS001MPI')).toEqual(['LocalPatientId', 'NHSNumber', 'PersonBirthDate', 'Postcode']);
    expect(flagged('IDS101Referral')).toEqual(['ServiceRequestId', 'LocalPatientId']);
  });

  it('drops them, and the store’s prefixed referral identifier, from the national tables', () => {
    expect(identifiersOf('IDS101Referral')).toEqual(['ServiceRequestId', 'LocalPatientId', 'Unique_ServiceRequestID']);
    expect(identifiersOf('IDS202CareActivity')).toEqual(['CareActId', 'CareContactId', 'CarePersLocalId']);
    expect(identifiersOf('IDS000Header')).toEqual([]);
    // Contacts and activities keep their prefixed system keys (Unique_CareContactID, Unique_CareActivityID) to join.
    expect(identifiersOf('IDS201CareContact')).not.toContain('Unique_CareContactID');
  });
});
