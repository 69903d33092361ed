// Rules we add, documented as ours in the rule catalogue (docs/rules.md):
// - v2.1 additions (IDS003, IDS601, new and renamed items, DatSetVer 2.1) in the style and code pattern of the
//   NHS rules, numbered after the codes the NHS uses for each table;
// - intake findings (IDSFMTnn): problems reading the files themselves, and values a spreadsheet would run as
//   formulas (IDSFMT05, IDSFMT06), files that cannot be read completely (IDSFMT07) and UTF-16 files (IDSFMT08).
import { TABLES, type ItemSpec } from '../../dataset/index.js';
import { DATA_SET_V20 } from '../../dataset/validationCodes.js';
import { eq } from '../../core/sql.js';
import { after, beforeItem, blank, codeList, file, format, formula, notOneOf, ours, parent, schemeShape, sql, unique } from './builders.js';
import type { Rule } from '../types.js';

/**
 * Items whose format lets a value start with =, +, -, @, a tab or a carriage return: the length-checked
 * alphanumeric items, postcodes and person scores. (Dates, times, numbers, NHS numbers, versions and SNOMED CT
 * ids must start with a digit, so their own format rules already reject a formula.)
 */
const formulaCapable = (item: ItemSpec): boolean => item.type === 'string' && ['an', 'postcode', 'score'].includes(item.format.kind);
/** Items that are a key anywhere in the data set: a primary or foreign key, or part of a table's unique key. */
const KEYS = new Set(TABLES.flatMap((t) => [...t.uniqueKey, ...t.items.filter((i) => i.pk || i.fk).map((i) => i.name)]));
/**
 * Codes and identifiers, which are used as keys or to group and name what is published: items with a code list,
 * key items, and items whose Data Dictionary element is a code, an identifier or a category (organisation, site
 * and practice codes, coded clinical entries, EthnicCategory2021), plus postcodes and scores. The rest is free text.
 */
const isCode = (item: ItemSpec): boolean => item.format.kind !== 'an' || Boolean(item.codeList) || KEYS.has(item.name) || /\b(CODE|CODED|IDENTIFIER|CATEGORY)\b/.test(item.element);
/** Names of the formula-capable items of one kind, once each, in spec order. */
const formulaItems = (codes: boolean): string[] => [...new Set(TABLES.flatMap((t) => t.items.filter((i) => formulaCapable(i) && isCode(i) === codes).map((i) => i.name)))];
const FORMULA = 'starts with =, +, -, @, a tab or a carriage return and is not a number, so a spreadsheet would run it as a formula (CSV injection); the NHS Data Landing Portal refuses such cells.';

const BLANK = 'Blank (null, empty or only spaces).';
const DATE = 'Populated and not a valid date on or after 1890-01-01 (any time part must be midnight).';

export const OUR_RULES: readonly Rule[] = [
  ours('IDS00005', 'warning', 'IDS000Header', ['DatSetVer'], sql(eq('DatSetVer', DATA_SET_V20)), 'A v2.0 submission: read with the v2.0 items and uplifted to the v2.1 shape (SourceOfReferralMH → SourceOfReferralIAPT, ConsMediumUsed → ConsMechanism; removed items dropped; IDS003 and IDS601 empty).'),

  ours('IDS00170', 'reject_record', 'IDS001MPI', ['GenderIdentity'], format(), 'Populated and not exactly 1 character long (an1).', { versions: ['2.1'] }),
  ours('IDS00171', 'warning', 'IDS001MPI', ['GenderIdentity'], codeList(), notOneOf(), { versions: ['2.1'] }),
  ours('IDS00172', 'reject_record', 'IDS001MPI', ['GenderIdentitySameAtBirth'], format(), 'Populated and not exactly 1 character long (an1).', { versions: ['2.1'] }),
  ours('IDS00173', 'warning', 'IDS001MPI', ['GenderIdentitySameAtBirth'], codeList(), notOneOf(), { versions: ['2.1'] }),
  ours('IDS00174', 'reject_record', 'IDS001MPI', ['EthnicCategory2021'], format(), 'Populated and longer than 4 characters (an4 max).', { versions: ['2.1'] }),

  ours('IDS00301', 'reject_group', 'IDS003AccommStatus', ['LocalPatientId'], parent('IDS001MPI', 'LocalPatientId', { order: 17 }), 'No valid IDS001 row with the same `LocalPatientId`.', { versions: ['2.1'] }),
  ours('IDS00302', 'reject_group', 'IDS003AccommStatus', ['LocalPatientId', 'AccommodationType', 'AccommodationTypeDate'], unique(['LocalPatientId', 'AccommodationType', 'AccommodationTypeDate']), 'More than one row with the same LocalPatientId + AccommodationType + AccommodationTypeDate.', { versions: ['2.1'] }),
  ours('IDS00303', 'reject_record', 'IDS003AccommStatus', ['LocalPatientId'], blank(), BLANK, { versions: ['2.1'] }),
  ours('IDS00304', 'reject_record', 'IDS003AccommStatus', ['LocalPatientId'], format(), 'Populated and longer than 20 characters (an20 max).', { versions: ['2.1'] }),
  ours('IDS00305', 'reject_record', 'IDS003AccommStatus', ['AccommodationType'], format(), 'Populated and longer than 2 characters (an2 max).', { versions: ['2.1'] }),
  ours('IDS00306', 'reject_record', 'IDS003AccommStatus', ['SettledAccommodationInd'], format(), 'Populated and not exactly 1 character long (an1).', { versions: ['2.1'] }),
  ours('IDS00307', 'warning', 'IDS003AccommStatus', ['SettledAccommodationInd'], codeList(), notOneOf(), { versions: ['2.1'] }),
  ours('IDS00308', 'reject_record', 'IDS003AccommStatus', ['AccommodationTypeDate'], format(), DATE, { versions: ['2.1'] }),
  ours('IDS00309', 'reject_record', 'IDS003AccommStatus', ['AccommodationTypeDate'], after('rpEnd'), '`AccommodationTypeDate` is after the RP end date.', { versions: ['2.1'] }),
  ours('IDS00310', 'reject_record', 'IDS003AccommStatus', ['AccommodationTypeStartDate'], format(), DATE, { versions: ['2.1'] }),
  ours('IDS00311', 'reject_record', 'IDS003AccommStatus', ['AccommodationTypeEndDate'], format(), DATE, { versions: ['2.1'] }),
  ours('IDS00312', 'reject_record', 'IDS003AccommStatus', ['AccommodationTypeEndDate'], beforeItem('AccommodationTypeStartDate'), '`AccommodationTypeEndDate` is before `AccommodationTypeStartDate`.', { versions: ['2.1'] }),
  ours('IDS00313', 'reject_record', 'IDS003AccommStatus', ['AccommodationTypeDate'], beforeItem('PersonBirthDate'), '`AccommodationTypeDate` is before `PersonBirthDate`.', { versions: ['2.1'] }),

  ours('IDS00450', 'reject_record', 'IDS004EmpStatus', ['EmpSupportDischargeDate'], format(), DATE, { versions: ['2.1'] }),
  ours('IDS00451', 'reject_record', 'IDS004EmpStatus', ['EmpSupportDischargeDate'], after('rpEnd'), '`EmpSupportDischargeDate` is after the RP end date.', { versions: ['2.1'] }),
  ours('IDS00452', 'reject_record', 'IDS004EmpStatus', ['EmpSupportDischargeDate'], beforeItem('EmpSupportReferral'), '`EmpSupportDischargeDate` is before `EmpSupportReferral`.', { versions: ['2.1'] }),

  ours('IDS60101', 'reject_group', 'IDS601MedHistPrevDiag', ['LocalPatientId'], parent('IDS001MPI', 'LocalPatientId', { order: 18 }), 'No valid IDS001 row with the same `LocalPatientId`.', { versions: ['2.1'] }),
  ours('IDS60102', 'reject_group', 'IDS601MedHistPrevDiag', ['LocalPatientId', 'PrevDiag', 'DiagDate'], unique(['LocalPatientId', 'PrevDiag', 'DiagDate']), 'More than one row with the same LocalPatientId + PrevDiag + DiagDate.', { versions: ['2.1'] }),
  ours('IDS60103', 'reject_record', 'IDS601MedHistPrevDiag', ['LocalPatientId'], blank(), BLANK, { versions: ['2.1'] }),
  ours('IDS60104', 'reject_record', 'IDS601MedHistPrevDiag', ['LocalPatientId'], format(), 'Populated and longer than 20 characters (an20 max).', { versions: ['2.1'] }),
  ours('IDS60105', 'reject_record', 'IDS601MedHistPrevDiag', ['DiagSchemeInUse'], format(), 'Populated and not exactly 2 characters long (an2).', { versions: ['2.1'] }),
  ours('IDS60106', 'warning', 'IDS601MedHistPrevDiag', ['DiagSchemeInUse'], codeList(), notOneOf(), { versions: ['2.1'] }),
  ours('IDS60107', 'reject_record', 'IDS601MedHistPrevDiag', ['PrevDiag'], format(), 'Populated and shorter than 4 or longer than 18 characters.', { versions: ['2.1'] }),
  ours('IDS60108', 'reject_record', 'IDS601MedHistPrevDiag', ['PrevDiag'], format('icd10OrSnomed'), schemeShape('PrevDiag', 'DiagSchemeInUse'), { versions: ['2.1'] }),
  ours('IDS60109', 'reject_record', 'IDS601MedHistPrevDiag', ['DiagDate'], format(), DATE, { versions: ['2.1'] }),
  ours('IDS60110', 'reject_record', 'IDS601MedHistPrevDiag', ['DiagDate'], after('rpEnd'), '`DiagDate` is after the RP end date.', { versions: ['2.1'] }),
  ours('IDS60111', 'reject_record', 'IDS601MedHistPrevDiag', ['DiagDate'], beforeItem('PersonBirthDate'), '`DiagDate` is before `PersonBirthDate`.', { versions: ['2.1'] }),

  ours('IDSFMT01', 'warning', 'File', [], file(), 'The file is not valid UTF-8; it was read as Windows-1252. Save CSV files as UTF-8.'),
  ours('IDSFMT02', 'warning', 'File', [], file(), 'The header has a column that is not an item of this table in the data set; the column was ignored.'),
  ours('IDSFMT03', 'reject_record', 'File', [], file(), 'The row has a different number of fields from the header (or broken quoting), so it could not be read; the row was not loaded.'),
  ours('IDSFMT04', 'warning', 'File', [], file(), 'The submission holds a file that is not a table of the data set; it was ignored.'),
  // Codes and identifiers become keys, groups and organisation names in the outputs: the record is rejected.
  ours('IDSFMT05', 'reject_record', 'File', formulaItems(true), formula(), `A code, identifier or organisation code ${FORMULA}`),
  // Free text is never a key: the record is kept, and every CSV the platform writes puts a single quote before it.
  ours('IDSFMT06', 'warning', 'File', formulaItems(false), formula(), `A free-text item ${FORMULA} Kept; written with a single quote before it in every CSV output.`),
  ours('IDSFMT07', 'reject_file', 'File', [], file(), 'A table file could not be read completely (a quote never closed, rows that could not be counted or read, a NUL byte in the header, a tab-separated file, or a read error); the whole submission is rejected. Save the file as "CSV UTF-8".'),
  ours('IDSFMT08', 'warning', 'File', [], file(), 'The file is UTF-16 (Excel "Unicode text"); it was read as UTF-16. Save CSV files as "CSV UTF-8".'),
];
