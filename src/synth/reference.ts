// Synthetic organisation reference data: regions → ICBs → sub-ICBs (commissioners) → providers, GP practices,
// treatment sites, and postcodes → LSOA → IMD decile. Written to DIR/reference/ in the layouts of
// docs/reference-data.md, which validation (--reference) and derivations read.
import { Rng } from './random.js';

export interface Region {
  code: string;
  name: string;
}
export interface Icb {
  code: string;
  name: string;
  region: string;
}
export interface SubIcb {
  code: string;
  name: string;
  icb: string;
}
export interface Lsoa {
  code: string;
  imdDecile: number;
  subIcb: string;
  postcodes: string[];
}
export interface GpPractice {
  code: string;
  name: string;
  subIcb: string;
  postcode: string;
}
export interface Provider {
  code: string;
  name: string;
  type: 'NHS trust' | 'Independent sector';
  /** Relative size: share of national referrals. */
  weight: number;
  subIcbs: string[];
  lsoas: Lsoa[];
  practices: GpPractice[];
  sites: string[];
  system: string;
}
export interface ReferenceData {
  regions: Region[];
  icbs: Icb[];
  subIcbs: SubIcb[];
  providers: Provider[];
}

/** NHS England commissioning regions (real, stable codes). */
const REGIONS: Region[] = [
  { code: 'Y56', name: 'London' },
  { code: 'Y58', name: 'South West' },
  { code: 'Y59', name: 'South East' },
  { code: 'Y60', name: 'Midlands' },
  { code: 'Y61', name: 'East of England' },
  { code: 'Y62', name: 'North West' },
  { code: 'Y63', name: 'North East and Yorkshire' },
];

const SYSTEMS = ['IAPTus', 'PCMIS', 'SystmOne', 'Mayden', 'Rio', 'Lorenzo'];
const POSTCODE_AREAS = ['B', 'BS', 'CB', 'DE', 'EX', 'HU', 'L', 'LE', 'LS', 'M', 'ME', 'N', 'NE', 'NG', 'OX', 'PL', 'S', 'SE', 'SO', 'TS', 'WV', 'YO'];
const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';
const ALNUM = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';

export interface ReferenceSize {
  providers: number;
  practicesPerProvider: number;
  lsoasPerProvider: number;
  postcodesPerLsoa: number;
}

function code(rng: Rng, prefix: string, length: number, used: Set<string>): string {
  for (;;) {
    let c = prefix;
    while (c.length < length) c += ALNUM[rng.int(0, ALNUM.length - 1)];
    if (!used.has(c)) {
      used.add(c);
      return c;
    }
  }
}

export function buildReference(seed: string, size: ReferenceSize): ReferenceData {
  const rng = new Rng(`${seed}/reference`);
  const used = new Set<string>();
  const icbCount = Math.max(1, Math.round((size.providers * 42) / 150));
  const icbs: Icb[] = Array.from({ length: icbCount }, (_, i) => ({
    code: code(rng, 'Q', 3, used),
    name: `Synthetic Integrated Care Board ${String(i + 1).padStart(2, '0')}`,
    region: REGIONS[i % REGIONS.length]!.code,
  }));
  const subIcbs: SubIcb[] = [];
  for (const icb of icbs) {
    const n = rng.int(1, 4);
    for (let k = 0; k < n; k++) {
      subIcbs.push({ code: code(rng, String(rng.int(0, 9)), 3, used), name: `Synthetic Sub-ICB Location ${String(subIcbs.length + 1).padStart(3, '0')}`, icb: icb.code });
    }
  }
  const postcodesUsed = new Set<string>();
  const providers: Provider[] = [];
  for (let p = 0; p < size.providers; p++) {
    const trust = rng.chance(0.7);
    const providerCode = trust ? code(rng, 'R', 3, used) : code(rng, 'N', 5, used);
    const home = subIcbs[Math.floor((p * subIcbs.length) / size.providers)]!;
    const served = [home.code];
    if (rng.chance(0.35) && subIcbs.length > 1) {
      const other = rng.pick(subIcbs.filter((s) => s.icb === home.icb && s.code !== home.code));
      if (other) served.push(other.code);
    }
    // Catchments differ in deprivation: a provider-level tilt towards more or less deprived areas.
    const tilt = rng.normal() * 1.5;
    const lsoas: Lsoa[] = [];
    for (let k = 0; k < size.lsoasPerProvider; k++) {
      const decile = Math.min(10, Math.max(1, Math.round(5.5 + tilt + rng.normal() * 2.6)));
      const area = rng.pick(POSTCODE_AREAS);
      const postcodes: string[] = [];
      while (postcodes.length < size.postcodesPerLsoa) {
        const pc = `${area}${rng.int(1, 29)} ${rng.int(0, 9)}${INWARD_LETTERS[rng.int(0, 19)]}${INWARD_LETTERS[rng.int(0, 19)]}`;
        if (!postcodesUsed.has(pc)) {
          postcodesUsed.add(pc);
          postcodes.push(pc);
        }
      }
      lsoas.push({ code: code(rng, 'E01', 9, used), imdDecile: decile, subIcb: rng.pick(served), postcodes });
    }
    const practices: GpPractice[] = [];
    for (let k = 0; k < size.practicesPerProvider; k++) {
      const lsoa = rng.pick(lsoas);
      let practiceCode: string;
      do practiceCode = `${'ABCDEFGHJKLMNPY'[rng.int(0, 14)]}${rng.int(10000, 99999)}`;
      while (used.has(practiceCode));
      used.add(practiceCode);
      practices.push({ code: practiceCode, name: `Synthetic Medical Practice ${providers.length + 1}-${k + 1}`, subIcb: lsoa.subIcb, postcode: rng.pick(lsoa.postcodes) });
    }
    const sites = Array.from({ length: rng.int(1, 4) }, (_, k) => `${providerCode}${String(k + 1).padStart(2, '0')}`);
    providers.push({
      code: providerCode,
      name: `Synthetic Talking Therapies Service ${String(p + 1).padStart(3, '0')}`,
      type: trust ? 'NHS trust' : 'Independent sector',
      weight: rng.lognormal(1, 0.55),
      subIcbs: served,
      lsoas,
      practices,
      sites,
      system: rng.pick(SYSTEMS),
    });
  }
  const total = providers.reduce((sum, p) => sum + p.weight, 0);
  for (const p of providers) p.weight = (p.weight * providers.length) / total;
  return { regions: REGIONS, icbs, subIcbs, providers };
}

/** The reference CSV files (name → content), in the layouts documented in docs/reference-data.md. */
export function referenceFiles(ref: ReferenceData, openDate: string): Map<string, string> {
  const csv = (header: string[], rows: (string | number)[][]): string => [header.join(','), ...rows.map((r) => r.map(String).join(','))].join('\n') + '\n';
  const files = new Map<string, string>();
  files.set('regions.csv', csv(['region_code', 'region_name'], ref.regions.map((r) => [r.code, r.name])));
  files.set('icbs.csv', csv(['icb_code', 'icb_name', 'region_code'], ref.icbs.map((i) => [i.code, i.name, i.region])));
  files.set('sub_icbs.csv', csv(['sub_icb_code', 'sub_icb_name', 'icb_code'], ref.subIcbs.map((s) => [s.code, s.name, s.icb])));
  files.set(
    'providers.csv',
    csv(['org_code', 'org_name', 'org_type', 'sub_icb_codes', 'open_date', 'close_date'], ref.providers.map((p) => [p.code, p.name, p.type, p.subIcbs.join(';'), openDate, ''])),
  );
  files.set(
    'gp_practices.csv',
    csv(['practice_code', 'practice_name', 'sub_icb_code', 'postcode', 'open_date', 'close_date'], ref.providers.flatMap((p) => p.practices.map((g) => [g.code, g.name, g.subIcb, g.postcode, openDate, '']))),
  );
  files.set('sites.csv', csv(['site_code', 'org_code', 'open_date', 'close_date'], ref.providers.flatMap((p) => p.sites.map((s) => [s, p.code, openDate, '']))));
  files.set(
    'postcodes.csv',
    csv(
      ['postcode', 'lsoa2011', 'imd_decile', 'sub_icb_code', 'date_introduced', 'date_terminated'],
      ref.providers.flatMap((p) => p.lsoas.flatMap((l) => l.postcodes.map((pc) => [pc, l.code, l.imdDecile, l.subIcb, openDate, '']))),
    ),
  );
  const orgs: string[][] = [
    ...ref.regions.map((r) => [r.code, r.name, 'region']),
    ...ref.icbs.map((i) => [i.code, i.name, 'icb']),
    ...ref.subIcbs.map((s) => [s.code, s.name, 'sub_icb']),
    ...ref.providers.map((p) => [p.code, p.name, 'provider']),
    ...ref.providers.flatMap((p) => p.practices.map((g) => [g.code, g.name, 'gp_practice'])),
  ];
  files.set('organisations.csv', csv(['org_code', 'org_name', 'org_role', 'open_date', 'close_date'], orgs.map((o) => [...o, openDate, ''])));
  return files;
}
