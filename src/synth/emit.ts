// What a provider sends for one reporting period: the rows of every table, in the spec's column order,
// holding only what a real monthly file holds (open referrals, that month's contacts and assessments).
import { ATTENDED_CODES, columnNames, TABLE_NAMES, type TableName } from '../dataset/index.js';
import { isoDate, type Month } from './calendar.js';
import type { Pathway } from './pathway.js';
import type { Patient } from './people.js';
import type { Provider } from './reference.js';
import { Rng } from './random.js';

export type FileType = 'primary' | 'refresh';
/** Rows of each table; every value is text and '' is null. */
export type Tables = Map<TableName, string[][]>;

export interface StaffMember {
  id: string;
  level: string;
  awardedDay: number | null;
  plannedDay: number | null;
}

const columnsOf = new Map<TableName, string[]>(TABLE_NAMES.map((t) => [t, columnNames(t)]));
const columnSetOf = new Map<TableName, Set<string>>(TABLE_NAMES.map((t) => [t, new Set(columnNames(t))]));

function emptyTables(): Tables {
  return new Map(TABLE_NAMES.map((t) => [t, [] as string[][]]));
}

/** Adds a row given by column name; a name that is not a column of the table is a programming error. */
function add(tables: Tables, table: TableName, values: Record<string, string | number>): void {
  const known = columnSetOf.get(table)!;
  for (const key in values) if (!known.has(key)) throw new Error(`${key} is not a column of ${table}`);
  tables.get(table)!.push(columnsOf.get(table)!.map((c) => (values[c] === undefined ? '' : String(values[c]))));
}

const d = isoDate;

export interface MonthInput {
  seed: string;
  provider: Provider;
  pathways: readonly Pathway[];
  staff: readonly StaffMember[];
  month: Month;
  fileType: FileType;
}

export function emitMonth(input: MonthInput): Tables {
  const { provider, month, fileType } = input;
  const refresh = fileType === 'refresh';
  const tables = emptyTables();
  const rng = new Rng(`${input.seed}/header/${provider.code}/${month.id}/${fileType}`);
  const createdDay = month.endDay + (refresh ? 31 : 0) + rng.int(2, 18);
  add(tables, 'IDS000Header', {
    DatSetVer: '2.1',
    OrgIDProv: provider.code,
    OrgIDSubmit: provider.code,
    PrimSystemInUse: provider.system,
    ReportingPeriodStartDate: d(month.startDay),
    ReportingPeriodEndDate: d(month.endDay),
    DateTimeDatSetCreate: `${d(createdDay)}T${String(rng.int(7, 19)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}:00`,
  });

  const inMonth = (day: number): boolean => day >= month.startDay && day <= month.endDay;
  const patients: Patient[] = [];
  const seenPatients = new Set<Patient>();
  for (const p of input.pathways) {
    if (p.receivedDay > month.endDay) break; // pathways are in order of receipt
    const hiddenDischarge = p.dischargeLate && !refresh && p.dischargeDay !== null && inMonth(p.dischargeDay);
    const discharged = !hiddenDischarge && p.dischargeDay !== null && p.dischargeDay <= month.endDay;
    const contacts = p.contacts.filter((c) => inMonth(c.day) && (refresh || !c.late));
    const open = p.dischargeDay === null || p.dischargeDay >= month.startDay;
    if (!open && contacts.length === 0) continue;
    if (!seenPatients.has(p.patient)) {
      seenPatients.add(p.patient);
      patients.push(p.patient);
    }
    add(tables, 'IDS101Referral', {
      ServiceRequestId: p.serviceRequestId,
      LocalPatientId: p.patient.localId,
      OrgIDComm: p.commissioner,
      ReferralRequestReceivedDate: d(p.receivedDay),
      SourceOfReferralIAPT: p.source,
      OnsetDate: p.onset,
      PrevDiagCondInd: p.prevDiagInd,
      EndCode: discharged ? p.endCode : '',
      ServDischDate: discharged ? d(p.dischargeDay!) : '',
    });
    if (p.onward && inMonth(p.onward.day) && discharged) {
      add(tables, 'IDS105OnwardReferral', { ServiceRequestId: p.serviceRequestId, OnwardReferDate: d(p.onward.day), OnwardReferTime: '12:00:00', OnwardReferReason: p.onward.reason, OrgIDReceiving: p.onward.org });
    }
    if (p.pause && p.pause.startDay <= month.endDay && p.pause.endDay >= month.startDay) {
      add(tables, 'IDS108WaitingTimePauses', {
        PauseID: p.pause.id,
        ServiceRequestId: p.serviceRequestId,
        PauseStartDate: d(p.pause.startDay),
        PauseEndDate: p.pause.endDay <= month.endDay ? d(p.pause.endDay) : '',
        PauseReason: p.pause.reason,
      });
    }
    for (const c of contacts) {
      const attended = ATTENDED_CODES.includes(c.attend);
      const faceToFace = c.mechanism === '01';
      add(tables, 'IDS201CareContact', {
        CareContactId: `C${String(c.seq).padStart(9, '0')}`,
        ServiceRequestId: p.serviceRequestId,
        CareContDate: d(c.day),
        CareContTime: c.time,
        OrgIDComm: p.commissioner,
        PlannedCareContIndicator: 'Y',
        AttendOrDNACode: c.attend,
        Cancellation: c.attend === '2' ? 'N' : '',
        ClinContDurOfCareCont: attended ? c.duration : '',
        IAPTLTCServiceInd: c.ltcService ? 'Y' : 'N',
        AppType: c.appType,
        ConsMechanism: c.mechanism,
        IntEnabledTherProg: c.iet,
        CareContPatientTherMode: c.group ? '3' : '1',
        NumGroupTherParticipants: c.group ? 8 : '',
        NumGroupTherFacilitators: c.group ? 2 : '',
        PsychMed: c.psychMed,
        ActLocTypeCode: faceToFace ? 'E01' : '',
        SiteIDOfTreat: faceToFace ? provider.sites[c.seq % provider.sites.length]! : '',
        LanguageCodeTreat: p.patient.language,
        InterpreterPresentInd: p.patient.language === 'en' ? '' : '1',
      });
      for (const a of c.activities) {
        const actId = `A${String(a.seq).padStart(9, '0')}`;
        add(tables, 'IDS202CareActivity', {
          CareActId: actId,
          CareContactId: `C${String(c.seq).padStart(9, '0')}`,
          CarePersLocalId: c.staff,
          ClinContactDurOfCareAct: c.duration,
          CodeProcAndProcStatus: a.therapy,
        });
        for (const s of a.scores) add(tables, 'IDS607CodedScoreAssessmentAct', { CareActId: actId, CodedAssToolType: s.tool, PersScore: s.score });
      }
    }
    for (const log of p.ietLogs) {
      if (!inMonth(log.endDay)) continue;
      add(tables, 'IDS205InternetTherLog', {
        ServiceRequestId: p.serviceRequestId,
        StartDateIntEnabledTherLog: d(log.startDay),
        EndDateIntEnabledTherLog: d(log.endDay),
        IntEnabledTherProg: log.programme,
        DurationIntEnabledTher: log.minutes,
        CarePersLocalId: log.staff,
        IntegratedSoftwareInd: 'Y',
      });
    }
    if (p.ltc) add(tables, 'IDS602LongTermCondition', { ServiceRequestId: p.serviceRequestId, FindSchemeInUse: '04', LongTermCondition: p.ltc });
    for (const pc of p.complaints) {
      if (pc.day > month.endDay) continue;
      add(tables, 'IDS603PresentingComplaints', { ServiceRequestId: p.serviceRequestId, FindSchemeInUse: pc.scheme, PresComp: pc.code, PresCompCodSig: pc.significance, PresCompDate: d(pc.day) });
    }
    for (const s of p.referralScores) {
      if (!inMonth(s.day)) continue;
      add(tables, 'IDS606CodedScoreAssessmentRefer', { ServiceRequestId: p.serviceRequestId, CodedAssToolType: s.tool, PersScore: s.score, AssToolCompDate: d(s.day), AssToolCompTime: s.time });
    }
  }

  for (const pt of patients) emitPatient(tables, provider, pt, month);
  for (const s of input.staff) {
    const qualified = s.awardedDay !== null || (s.plannedDay !== null && s.plannedDay < month.startDay);
    add(tables, 'IDS902CarePersQual', {
      CarePersLocalId: s.id,
      QualAttainLevelIAPT: s.level,
      QualAwardedDate: qualified ? d(s.awardedDay ?? s.plannedDay!) : '',
      QualPlannedCompletionDate: qualified ? '' : d(s.plannedDay!),
    });
  }
  return tables;
}

function emitPatient(tables: Tables, provider: Provider, pt: Patient, month: Month): void {
  add(tables, 'IDS001MPI', {
    LocalPatientId: pt.localId,
    OrgIDLocalPatientId: provider.code,
    NHSNumber: pt.nhsNumber,
    NHSNumberStatus: pt.nhsNumberStatus,
    PersonBirthDate: d(pt.birthDay),
    Postcode: pt.postcode,
    Gender: pt.gender,
    GenderIdentity: pt.genderIdentity,
    GenderIdentitySameAtBirth: pt.genderIdentity === '' ? '' : pt.genderIdentity === '3' || pt.genderIdentity === '4' ? 'N' : 'Y',
    EthnicCategory: pt.ethnicity,
    ExBAFIndicator: pt.exBaf,
    LanguageCodePreferred: pt.language,
    EduEstabTypeIAPT: pt.education,
  });
  add(tables, 'IDS002GP', { LocalPatientId: pt.localId, GMPCodeReg: pt.gpPractice, StartDateGMPRegistration: d(pt.gpStartDay) });
  if (pt.accommodation && pt.accommodation.day <= month.endDay) {
    add(tables, 'IDS003AccommStatus', {
      LocalPatientId: pt.localId,
      AccommodationType: pt.accommodation.type,
      SettledAccommodationInd: pt.accommodation.settled,
      AccommodationTypeDate: d(pt.accommodation.day),
    });
  }
  for (const e of pt.employment) {
    if (e.day > month.endDay) continue;
    add(tables, 'IDS004EmpStatus', {
      LocalPatientId: pt.localId,
      EmployStatus: e.status,
      EmployStatusRecDate: d(e.day),
      WeekHoursWorked: e.weekHours,
      SickAbsenceInd: e.sickAbsence,
      SSPInd: e.ssp,
      BenefitRecInd: e.benefit,
      ESAInd: e.esa,
      UCInd: e.uc,
      PIPInd: e.pip,
      EmpSupportInd: e.empSupportInd,
      EmpSupportReferral: e.empSupportReferral === null ? '' : d(e.empSupportReferral),
    });
  }
  if (pt.disability) add(tables, 'IDS007DisabilityType', { LocalPatientId: pt.localId, DisabCode: pt.disability });
  for (const c of pt.circumstances) {
    if (c.day <= month.endDay) add(tables, 'IDS011SocPerCircumstances', { LocalPatientId: pt.localId, SocPerCircumstance: c.code, SocPerCircumstanceRecDate: d(c.day) });
  }
  if (pt.overseas && pt.overseas.day <= month.endDay) add(tables, 'IDS012OverseasVisitorChargCat', { LocalPatientId: pt.localId, OvsVisChCat: pt.overseas.category, OvsVisChCatAppDate: d(pt.overseas.day) });
  if (pt.previousDiagnosis) add(tables, 'IDS601MedHistPrevDiag', { LocalPatientId: pt.localId, DiagSchemeInUse: '01', PrevDiag: pt.previousDiagnosis.code, DiagDate: d(pt.previousDiagnosis.day) });
  if (pt.careCluster && pt.careCluster.startDay <= month.endDay) {
    add(tables, 'IDS803CareCluster', { LocalPatientId: pt.localId, AMHCareClustCodeFin: pt.careCluster.code, StartDateCareClust: d(pt.careCluster.startDay), StartTimeCareClust: '09:00:00' });
  }
}
