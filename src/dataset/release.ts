// What each column of the national tables is, for the release routes: which columns are organisation or area codes
// (encrypted for a research agreement that asks so), how fine a geography is, and which are the platform's own keys
// and pseudonyms (never released on the research route, which gets keys made for its agreement). Submitted items
// are classed from the spec (ItemSpec.identifiable; organisation codes by their NHS element); the columns linkage
// and derivation add are classed here, in one place.
import { TABLES } from './tables.js';
import type { ItemSpec } from './types.js';

/** Geography levels, finest first. An agreement names the finest it may receive. */
export const GEOGRAPHY_LEVELS = ['lsoa', 'postcode-district', 'sub-icb', 'icb', 'region'] as const;
export type GeographyLevel = (typeof GEOGRAPHY_LEVELS)[number];

/** True when `level` is at least as coarse as `finest` (a release allowing `finest` may carry it). */
export const coarseEnough = (level: GeographyLevel, finest: GeographyLevel | 'none'): boolean =>
  finest !== 'none' && GEOGRAPHY_LEVELS.indexOf(level) >= GEOGRAPHY_LEVELS.indexOf(finest);

export interface ColumnClass {
  /** An organisation, site or area code (ODS, ONS). */
  organisation?: true;
  /** The area the column places a person in. */
  geography?: GeographyLevel;
  /** The platform's pseudonym of a person or pathway (national: joinable across every release of the platform). */
  pseudonym?: 'person' | 'pathway';
  /** A key of the store or of the provider's own records (submission, row, contact, activity, staff identifiers). */
  systemKey?: true;
}

/** Columns that linkage and derivation add to the national tables. */
export const NATIONAL_COLUMNS: Readonly<Record<string, ColumnClass>> = {
  Person_ID: { pseudonym: 'person' },
  PathwayID: { pseudonym: 'pathway' },
  UniqueSubmissionID: { systemKey: true },
  RecordNumber: { systemKey: true },
  Unique_ServiceRequestID: { systemKey: true },
  Unique_CareContactID: { systemKey: true },
  Unique_CareActivityID: { systemKey: true },
  Unique_CarePersonnelID_Local: { systemKey: true },
  OrgID_Provider: { organisation: true },
  OrgIDSubICBLocResidence: { organisation: true, geography: 'sub-icb' },
  OrgIDICBRes: { organisation: true, geography: 'icb' },
  OrgIDSubICBLocGP: { organisation: true },
  OrgIDICBGPPractice: { organisation: true },
  OrgIDICBComm: { organisation: true },
  CommissioningRegion: { organisation: true, geography: 'region' },
  LSOA2011: { geography: 'lsoa' },
  Postcode_District: { geography: 'postcode-district' },
};

/** NHS elements that name an organisation or site: ORGANISATION IDENTIFIER (…), ORGANISATION SITE IDENTIFIER (…), GENERAL MEDICAL PRACTICE CODE (…). */
const ORGANISATION_ELEMENT = /^(ORGANISATION (SITE )?IDENTIFIER|GENERAL MEDICAL PRACTICE CODE)\b/;

const SUBMITTED = new Map<string, ItemSpec>(TABLES.flatMap((t) => t.items.map((i) => [i.name, i] as const)));

/** The class of a national column (submitted item or added column); {} for an ordinary value. */
export function columnClass(column: string): ColumnClass {
  if (/^UniqueID_IDS\d{3}$/.test(column)) return { systemKey: true };
  const added = NATIONAL_COLUMNS[column];
  if (added) return added;
  const item = SUBMITTED.get(column);
  return item && ORGANISATION_ELEMENT.test(item.element) ? { organisation: true } : {};
}

/** The submitted item of that name when it identifies a person or a provider's record (ItemSpec.identifiable). */
export const identifiableItem = (column: string): ItemSpec | undefined => {
  const item = SUBMITTED.get(column);
  return item?.identifiable ? item : undefined;
};

/** Every identifiable item name of the spec (NHS number, birth date, postcode, local identifiers). */
export const IDENTIFIABLE_ITEMS: readonly string[] = [...new Set(TABLES.flatMap((t) => t.items.filter((i) => i.identifiable).map((i) => i.name)))];
