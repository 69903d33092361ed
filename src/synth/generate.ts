// `iapt synth`: builds the reference data, simulates each provider's referrals over the months asked
// (plus a year of run-in so the first month has a realistic caseload), and writes one zip per provider,
// month and submission window. Providers are simulated one at a time, so memory stays flat as N grows.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TABLE_NAMES, type TableName } from '../dataset/index.js';
import { addMonths, monthOf, monthRange, type Month } from './calendar.js';
import { NATIONAL_DATA_OPT_OUT_SHARE, outcomeTilts, PROVIDERS_AT_NATIONAL_SCALE, RE_REFERRAL_SHARE, REFERRALS_PER_PROVIDER_MONTH, SEASONALITY } from './calibration.js';
import { toCsv } from './csv.js';
import { injectDefects, type Defect } from './defects.js';
import { emitMonth, type FileType, type StaffMember, type Tables } from './emit.js';
import { simulatePathway, type Pathway } from './pathway.js';
import { newPatient, nhsNumberAllocator, type Patient } from './people.js';
import { buildReference, referenceFiles, type Provider, type ReferenceData } from './reference.js';
import { Rng } from './random.js';
import { zipFiles } from './zip.js';

export type Scale = 'small' | 'national';

export interface SynthOptions {
  providers: number;
  /** YYYY-MM..YYYY-MM */
  months: string;
  seed: string;
  out: string;
  scale: Scale;
  refresh: boolean;
  /** Defect rate (0 = clean files). */
  defects: number;
  /** Called after each provider is written. */
  onProgress?: (done: number, total: number, provider: string) => void;
}

export interface SynthFile {
  path: string;
  provider: string;
  period: string;
  fileType: FileType;
  sha256: string;
  rows: Record<TableName, number>;
}

export interface SynthResult {
  files: SynthFile[];
  referenceFiles: string[];
  defects: Defect[];
  totalRows: number;
}

const RUN_IN_MONTHS = 12;

/** The synthetic national data opt-out register written beside the submissions. */
export const OPT_OUT_REGISTER_FILE = 'optout-register.csv';

function referenceSize(scale: Scale, providers: number) {
  return scale === 'national'
    ? { providers, practicesPerProvider: 42, lsoasPerProvider: 220, postcodesPerLsoa: 3 }
    : { providers, practicesPerProvider: 8, lsoasPerProvider: 40, postcodesPerLsoa: 2 };
}

interface ProviderSimulation {
  pathways: Pathway[];
  staff: StaffMember[];
}

export function simulateProvider(seed: string, provider: Provider, ref: ReferenceData, scale: Scale, firstMonth: Month, lastMonth: Month): ProviderSimulation {
  const rng = new Rng(`${seed}/provider/${provider.code}`);
  const base = REFERRALS_PER_PROVIDER_MONTH[scale] * provider.weight;
  const staffCount = Math.max(4, Math.round(base / 6));
  const staff: StaffMember[] = Array.from({ length: staffCount }, (_, i) => {
    const low = i % 5 < 2;
    const trainee = rng.chance(0.15);
    return {
      id: `S${String(i + 1).padStart(5, '0')}`,
      level: low ? rng.pick(['10', '11']) : rng.pick(['12', '13', '14', '15', '16', '17', '30', '31']),
      awardedDay: trainee ? null : monthOf('2008-01').startDay + rng.int(0, 5800),
      plannedDay: trainee ? firstMonth.startDay + rng.int(30, 700) : null,
    };
  });
  const lowStaff = staff.filter((_, i) => i % 5 < 2).map((s) => s.id);
  const highStaff = staff.filter((_, i) => i % 5 >= 2).map((s) => s.id);
  const subIcbOfPractice = new Map(provider.practices.map((p) => [p.code, p.subIcb]));
  const otherOrgs = ref.providers.filter((p) => p.code !== provider.code && p.code.length <= 5).map((p) => p.code).slice(0, 20);
  const tilts = outcomeTilts(ref.providers.map((p) => ({ weight: p.weight, imdDeciles: p.lsoas.map((l) => l.imdDecile) })));
  const nextNhsNumber = nhsNumberAllocator(Math.max(0, ref.providers.findIndex((p) => p.code === provider.code)), ref.providers.length);
  let contactSeq = 0;
  let activitySeq = 0;
  const patients: Patient[] = [];
  const pathways: Pathway[] = [];
  for (let id = addMonths(firstMonth.id, -RUN_IN_MONTHS); ; id = addMonths(id, 1)) {
    const month = monthOf(id);
    const count = rng.poisson(base * SEASONALITY[month.month - 1]!);
    const days = Array.from({ length: count }, () => month.startDay + rng.int(0, month.endDay - month.startDay)).sort((a, b) => a - b);
    for (const day of days) {
      let patient: Patient;
      if (patients.length > 0 && rng.chance(RE_REFERRAL_SHARE)) patient = rng.pick(patients);
      else {
        patient = newPatient(rng, provider, patients.length + 1, day, nextNhsNumber);
        patients.push(patient);
      }
      const ctx = {
        rng,
        commissioner: subIcbOfPractice.get(patient.gpPractice)!,
        siteCodes: provider.sites,
        otherOrgs: otherOrgs.length > 0 ? otherOrgs : ['RXX'],
        lowStaff,
        highStaff,
        nextContact: () => ++contactSeq,
        nextActivity: () => ++activitySeq,
        tilts,
      };
      pathways.push(simulatePathway(ctx, pathways.length + 1, patient, day));
    }
    if (id === lastMonth.id) break;
  }
  return { pathways, staff };
}

export function fileName(provider: string, period: string, fileType: FileType): string {
  return `${provider}_${period}_${fileType}.zip`;
}

export function submissionZip(tables: Tables): Uint8Array {
  return zipFiles(TABLE_NAMES.map((t) => [`${t}.csv`, toCsv(t, tables.get(t)!)] as const));
}

export function generate(options: SynthOptions): SynthResult {
  const months = monthRange(options.months);
  const first = months[0]!;
  const last = months[months.length - 1]!;
  const ref = buildReference(options.seed, referenceSize(options.scale, options.providers));
  mkdirSync(join(options.out, 'reference'), { recursive: true });
  const referenceNames: string[] = [];
  for (const [name, content] of referenceFiles(ref, '2000-01-01')) {
    writeFileSync(join(options.out, 'reference', name), content);
    referenceNames.push(`reference/${name}`);
  }
  const files: SynthFile[] = [];
  const defects: Defect[] = [];
  let totalRows = 0;
  const fileTypes: FileType[] = options.refresh ? ['primary', 'refresh'] : ['primary'];
  const optedOut = new Set<string>();
  ref.providers.forEach((provider, index) => {
    const sim = simulateProvider(options.seed, provider, ref, options.scale, first, last);
    const optOutRng = new Rng(`${options.seed}/optout/${provider.code}`);
    for (const p of new Set(sim.pathways.map((w) => w.patient))) if (p.nhsNumber && optOutRng.chance(NATIONAL_DATA_OPT_OUT_SHARE)) optedOut.add(p.nhsNumber);
    for (const month of months) {
      const dir = join(options.out, provider.code, month.id);
      mkdirSync(dir, { recursive: true });
      for (const fileType of fileTypes) {
        const tables = emitMonth({ seed: options.seed, provider, pathways: sim.pathways, staff: sim.staff, month, fileType });
        const relative = `${provider.code}/${month.id}/${fileName(provider.code, month.id, fileType)}`;
        if (options.defects > 0) defects.push(...injectDefects(tables, options.defects, relative, month, options.seed));
        const bytes = submissionZip(tables);
        writeFileSync(join(options.out, relative), bytes);
        const rows = Object.fromEntries(TABLE_NAMES.map((t) => [t, tables.get(t)!.length])) as Record<TableName, number>;
        totalRows += Object.values(rows).reduce((a, b) => a + b, 0);
        files.push({ path: relative, provider: provider.code, period: month.id, fileType, sha256: createHash('sha256').update(bytes).digest('hex'), rows });
      }
    }
    options.onProgress?.(index + 1, ref.providers.length, provider.code);
  });
  const manifest = {
    generator: 'iapt synth',
    arguments: { providers: options.providers, months: options.months, seed: options.seed, scale: options.scale, refresh: options.refresh, defects: options.defects },
    reference: referenceNames,
    files,
  };
  writeFileSync(join(options.out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  // The national data opt-out register, as the opt-out service's list cleaning would give it (iapt optout import).
  writeFileSync(join(options.out, OPT_OUT_REGISTER_FILE), ['NHSNumber', ...[...optedOut].sort()].join('\n') + '\n');
  if (options.defects > 0) writeFileSync(join(options.out, 'defects.json'), JSON.stringify(defects, null, 2) + '\n');
  return { files, referenceFiles: referenceNames, defects, totalRows };
}

export { PROVIDERS_AT_NATIONAL_SCALE };
