/**
 * Types of the IAPT data set description. Everything downstream (CSV contract, DDL, rules, docs,
 * synthetic generator) reads these structures; nothing else lists tables or items by hand.
 */

/** How sure we are of a fact: taken from a published NHS source, inferred from one, or not confirmed. */
export type Confidence = 'verified' | 'inferred' | 'unconfirmed';

/** Mandation as the NHS uses it: Mandatory, Required, Optional. */
export type Mandation = 'M' | 'R' | 'O';

/** Value format of a submitted item, in the NHS notation it renders to (an20 max, n4 max, date, …). */
export type ItemFormat =
  | { kind: 'an'; min?: number; max: number; exact?: boolean } // alphanumeric, length-checked only
  | { kind: 'n'; min?: number; max: number; exact?: boolean } // digits only
  | { kind: 'date' } // YYYY-MM-DD
  | { kind: 'time' } // HH:MM:SS
  | { kind: 'datetime' } // ISO 8601 date and time
  | { kind: 'version' } // nn.nn: 1–2 digits, full stop, 1–2 digits
  | { kind: 'yearMonth' } // YYYY-MM (YYYY/MM tolerated with a warning)
  | { kind: 'nhsNumber' } // 10 digits passing the Modulus 11 check
  | { kind: 'postcode' } // UK postcode pattern
  | { kind: 'snomed'; min: number; max: number } // SNOMED CT concept id or expression
  | { kind: 'score' }; // PERSON SCORE: an5 max, parsed according to the assessment tool

/** Type of the value once read; decides the DuckDB column type after validation. */
export type ItemType = 'string' | 'integer' | 'date' | 'time' | 'datetime';

export interface ForeignKey {
  table: TableName;
  item: string;
}

/**
 * An item that identifies a person or leads to one. 'person': the patient themself (NHS number, birth date, postcode
 * of usual address, local patient identifier). 'record': a provider's local identifier of a referral, contact,
 * activity or member of staff, which the provider can trace back to a person. Neither leaves the provider-scoped
 * store: the national tables carry Person_ID and PathwayID instead (src/linkage/process.ts), and only the provider
 * extract puts a provider's own back (src/extracts/provider.ts). No item of v2.1 holds a name or an address line.
 */
export type Identifiable = 'person' | 'record';

/**
 * What a table's rows are, which decides how linkage keeps them across months (docs/linkage.md):
 * - header: the submission's one-row header;
 * - person: the Master Patient Index, one row per patient;
 * - personRecord: records about the patient, sent again each month (the latest appearance stands);
 * - referral: the referral, one row per referral;
 * - referralRecord: records about a referral, sent again each month (the latest appearance stands);
 * - activity: what happened in the month submitted (contacts, activities, scores, IET logs, onward referrals),
 *   accumulated month by month;
 * - staff: care personnel, about no patient.
 */
export type TableRole = 'header' | 'person' | 'personRecord' | 'referral' | 'referralRecord' | 'activity' | 'staff';

export interface ItemSpec {
  /** IDB column name, exactly as submitted (CSV header, Access column). */
  name: string;
  /** TOS data item UID, e.g. I101010. */
  uid: string;
  /** NHS Data Model and Dictionary element name. */
  element: string;
  type: ItemType;
  format: ItemFormat;
  mandation: Mandation;
  /** Id of a code list in `codeLists` when the item takes coded values. */
  codeList?: string;
  /** Part of the table's primary key. */
  pk?: boolean;
  /** Foreign key to the parent table. */
  fk?: ForeignKey;
  /** Item is new in v2.1 (absent in v2.0). */
  since?: '2.1';
  /** Identifies a person or leads to one (see Identifiable); absent: it does not. */
  identifiable?: Identifiable;
  /** NHS validation codes attached to this item in the v2.0 rule set (Appendix A). */
  rules: readonly string[];
  /** How sure the format and mandation are; absent means as verified/inferred in the reference. */
  confidence?: Confidence;
  note?: string;
}

export interface TableSpec {
  /** Short id, e.g. IDS101. */
  id: string;
  /** IDB table name, e.g. IDS101Referral; also the CSV file name without `.csv`. */
  name: TableName;
  title: string;
  role: TableRole;
  /** Parent table and the key used to reach it (absent for the Header and for IDS902). */
  parent?: ForeignKey;
  /**
   * Items that must be unique together within a submission: the table's identifier where it has one,
   * otherwise the key of the NHS uniqueness rule (reference §5.4). Empty for the one-row Header.
   */
  uniqueKey: readonly string[];
  since?: '2.1';
  items: readonly ItemSpec[];
}

export const TABLE_NAMES = [
  'IDS000Header',
  'IDS001MPI',
  'IDS002GP',
  'IDS003AccommStatus',
  'IDS004EmpStatus',
  'IDS007DisabilityType',
  'IDS011SocPerCircumstances',
  'IDS012OverseasVisitorChargCat',
  'IDS101Referral',
  'IDS105OnwardReferral',
  'IDS108WaitingTimePauses',
  'IDS201CareContact',
  'IDS202CareActivity',
  'IDS205InternetTherLog',
  'IDS601MedHistPrevDiag',
  'IDS602LongTermCondition',
  'IDS603PresentingComplaints',
  'IDS606CodedScoreAssessmentRefer',
  'IDS607CodedScoreAssessmentAct',
  'IDS803CareCluster',
  'IDS902CarePersQual',
] as const;

export type TableName = (typeof TABLE_NAMES)[number];

export interface CodeValue {
  code: string;
  meaning?: string;
  /** NHS "default" value (not known / not stated): counted as Default, not Valid, in data quality. */
  isDefault?: boolean;
}

export interface CodeList {
  id: string;
  name: string;
  values: readonly CodeValue[];
  confidence: Confidence;
  source: string;
  note?: string;
}
