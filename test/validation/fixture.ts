// A small, fully valid v2.1 submission for reporting period May 2024, with every table populated, and
// helpers to write it (or a mutated copy) as a CSV folder with matching reference data.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { columnNames, REMOVED_IN_V21, RENAMED_IN_V21, TABLE_NAMES, TABLES, TABLES_NEW_IN_V21, type TableName } from '../../src/dataset/index.js';
import { toCsv } from '../../src/synth/csv.js';

export type Row = Record<string, string>;
export type Tables = Record<TableName, Row[]>;

export const PERIOD = '2024-05';
export const RECEIVED = '2024-06-10T12:00:00';
export const PROVIDER = 'RA1';

export function baseTables(): Tables {
  return {
    IDS000Header: [{ DatSetVer: '2.1', OrgIDProv: 'RA1', OrgIDSubmit: 'RA1', PrimSystemInUse: 'IAPTus', ReportingPeriodStartDate: '2024-05-01', ReportingPeriodEndDate: '2024-05-31', DateTimeDatSetCreate: '2024-06-05T09:00:00' }],
    IDS001MPI: [
      {
        LocalPatientId: 'P1', OrgIDLocalPatientId: 'RA1', NHSNumber: '9434765919', NHSNumberStatus: '01', PersonBirthDate: '1980-02-15', Postcode: 'LS1 4AP', Gender: '2', GenderIdentity: '2',
        GenderIdentitySameAtBirth: 'Y', EthnicCategory: 'A', EthnicCategory2021: 'A1', ExBAFIndicator: '03', LanguageCodePreferred: 'en', EduEstabTypeIAPT: '3',
      },
    ],
    IDS002GP: [{ LocalPatientId: 'P1', GMPCodeReg: 'A81001', StartDateGMPRegistration: '2010-01-01', EndDateGMPRegistration: '' }],
    IDS003AccommStatus: [{ LocalPatientId: 'P1', AccommodationType: '01', SettledAccommodationInd: 'Y', AccommodationTypeDate: '2024-05-02', AccommodationTypeStartDate: '2020-01-01', AccommodationTypeEndDate: '' }],
    IDS004EmpStatus: [
      {
        LocalPatientId: 'P1', EmployStatus: '01', EmployStatusRecDate: '2024-05-02', WeekHoursWorked: '01', SelfEmployInd: 'N', SickAbsenceInd: 'N', SSPInd: 'N', BenefitRecInd: 'N', ESAInd: 'N', UCInd: 'N',
        PIPInd: 'N', EmpSupportInd: 'Y', EmpSupportReferral: '2024-05-03', EmpSupportDischargeDate: '2024-05-20',
      },
    ],
    IDS007DisabilityType: [{ LocalPatientId: 'P1', DisabCode: 'NN' }],
    IDS011SocPerCircumstances: [{ LocalPatientId: 'P1', SocPerCircumstance: '160549006', SocPerCircumstanceRecDate: '2024-05-02' }],
    IDS012OverseasVisitorChargCat: [{ LocalPatientId: 'P1', OvsVisChCat: 'A', OvsVisChCatAppDate: '2024-05-02' }],
    IDS101Referral: [{ ServiceRequestId: 'R1', LocalPatientId: 'P1', OrgIDComm: '00X', ReferralRequestReceivedDate: '2024-04-20', SourceOfReferralIAPT: 'B1', OnsetDate: '2023-11', PrevDiagCondInd: 'N', EndCode: '46', ServDischDate: '2024-05-28' }],
    IDS105OnwardReferral: [{ ServiceRequestId: 'R1', OnwardReferDate: '2024-05-28', OnwardReferTime: '12:00:00', OnwardReferReason: '01', OrgIDReceiving: 'RB2' }],
    IDS108WaitingTimePauses: [{ PauseID: 'W1', ServiceRequestId: 'R1', PauseStartDate: '2024-05-01', PauseEndDate: '2024-05-05', PauseReason: '01' }],
    IDS201CareContact: [
      {
        CareContactId: 'C1', ServiceRequestId: 'R1', CareContDate: '2024-05-07', CareContTime: '10:00:00', OrgIDComm: '00X', PlannedCareContIndicator: 'Y', AttendOrDNACode: '5', Cancellation: '',
        ClinContDurOfCareCont: '45', IAPTLTCServiceInd: 'N', AppType: '02', ConsMechanism: '01', IntEnabledTherProg: 'SilverCloud', CareContPatientTherMode: '1', NumGroupTherParticipants: '',
        NumGroupTherFacilitators: '', PsychMed: '01', ActLocTypeCode: 'E01', SiteIDOfTreat: 'RA101', LanguageCodeTreat: 'en', InterpreterPresentInd: '1',
      },
    ],
    IDS202CareActivity: [{ CareActId: 'A1', CareContactId: 'C1', CarePersLocalId: 'S1', ClinContactDurOfCareAct: '45', CodeProcAndProcStatus: '304891004', FindSchemeInUse: '01', CodeFind: 'F321', CodeObs: '', ObsValue: '', UnitMeasure: '' }],
    IDS205InternetTherLog: [{ ServiceRequestId: 'R1', StartDateIntEnabledTherLog: '2024-05-06', EndDateIntEnabledTherLog: '2024-05-12', IntEnabledTherProg: 'SilverCloud', DurationIntEnabledTher: '30', CarePersLocalId: 'S1', IntegratedSoftwareInd: 'Y' }],
    IDS601MedHistPrevDiag: [{ LocalPatientId: 'P1', DiagSchemeInUse: '01', PrevDiag: 'F321', DiagDate: '2015-01-01' }],
    IDS602LongTermCondition: [{ ServiceRequestId: 'R1', FindSchemeInUse: '04', LongTermCondition: '195967001' }],
    IDS603PresentingComplaints: [{ ServiceRequestId: 'R1', FindSchemeInUse: '01', PresComp: 'F32.1', PresCompCodSig: '1', PresCompDate: '2024-05-07' }],
    IDS606CodedScoreAssessmentRefer: [{ ServiceRequestId: 'R1', CodedAssToolType: '720433000', PersScore: '12', AssToolCompDate: '2024-05-07', AssToolCompTime: '10:00:00' }],
    IDS607CodedScoreAssessmentAct: [{ CareActId: 'A1', CodedAssToolType: '720433000', PersScore: '12' }],
    IDS803CareCluster: [{ LocalPatientId: 'P1', AMHCareClustCodeFin: '01', StartDateCareClust: '2024-05-01', StartTimeCareClust: '09:00:00', EndDateCareClust: '', EndTimeCareClust: '' }],
    IDS902CarePersQual: [{ CarePersLocalId: 'S1', QualAttainLevelIAPT: '12', QualAwardedDate: '2015-06-01', QualPlannedCompletionDate: '' }],
  };
}

/** The same submission in the v2.0 shape: old names, removed items present, no v2.1 items or tables. */
export function asV20(tables: Tables): Record<string, Row[]> {
  const out: Record<string, Row[]> = {};
  const removedDefaults: Record<string, string> = { OrgIDResidenceResp: '00X', OrgIDGPPrac: '00X', JSAInd: 'N', OtherBenefitInd: 'N' };
  for (const t of TABLES) {
    if (TABLES_NEW_IN_V21.includes(t.name)) continue;
    out[t.name] = tables[t.name].map((row) => {
      const v20: Row = {};
      for (const item of t.items) {
        const renamed = RENAMED_IN_V21.find((r) => r.table === t.name && r.v21 === item.name);
        if (renamed) v20[renamed.v20] = row[item.name] ?? '';
        else if (item.since !== '2.1') v20[item.name] = row[item.name] ?? '';
      }
      for (const r of REMOVED_IN_V21) if (r.table === t.name) v20[r.item.name] = row[r.item.name] ?? removedDefaults[r.item.name]!;
      return v20;
    });
  }
  out.IDS000Header![0]!.DatSetVer = '2.0';
  return out;
}

/** Writes tables as a CSV folder (columns: the spec's, or the v2.0 names present in the rows). */
export function writeSubmission(dir: string, tables: Partial<Record<string, Row[]>>): string {
  mkdirSync(dir, { recursive: true });
  for (const name of TABLE_NAMES) {
    const rows = tables[name];
    if (!rows) continue;
    const columns = rows[0] ? Object.keys(rows[0]) : columnNames(name);
    const spec = columnNames(name);
    const ordered = rows[0] && columns.every((c) => spec.includes(c)) && spec.every((c) => columns.includes(c)) ? spec : columns;
    writeFileSync(join(dir, `${name}.csv`), toCsv(name, rows.map((r) => ordered.map((c) => r[c] ?? '')), ordered));
  }
  return dir;
}

export function writeReference(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const files: Record<string, string> = {
    'organisations.csv': 'org_code,org_name,org_role,open_date,close_date\nRA1,Provider A,provider,2000-01-01,\nRB2,Provider B,provider,2000-01-01,\n00X,Sub-ICB X,sub_icb,2000-01-01,\n',
    'gp_practices.csv': 'practice_code,practice_name,sub_icb_code,postcode,open_date,close_date\nA81001,Practice,00X,LS1 4AP,2000-01-01,\n',
    'sites.csv': 'site_code,org_code,open_date,close_date\nRA101,RA1,2000-01-01,\n',
    'postcodes.csv': 'postcode,lsoa2011,imd_decile,sub_icb_code,date_introduced,date_terminated\nLS1 4AP,E01000001,5,00X,2000-01-01,\n',
  };
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}
