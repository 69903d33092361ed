// Calibration of the synthetic population: every rate the generator draws from, with its source.
// National targets come from ../shared/docs/domain/measures-and-outcomes.md §3 (published England figures,
// 2023-24 unless stated). Clinical thresholds are NOT here: they come from src/dataset/outcomes.ts.

/** Referrals received per provider per month, before the provider's size weight. */
export const REFERRALS_PER_PROVIDER_MONTH = {
  /** 1,829,202 referrals in 2023-24 over ~150 providers ≈ 1,016 a month each. */
  national: 1016,
  small: 36,
} as const;

export const PROVIDERS_AT_NATIONAL_SCALE = 150;

/** Seasonal multiplier on referrals by calendar month (January peak, December trough). */
export const SEASONALITY = [1.12, 1.05, 1.06, 0.98, 1.0, 0.96, 0.9, 0.92, 1.02, 1.08, 1.04, 0.82];

/**
 * Route a referral takes. Finished a course ≈ 671,648 / 1,829,202 = 36.7 % of referrals; about 45 % of
 * referrals have no valid problem descriptor (mostly never assessed) — §3.1, §3.4.
 */
export const ROUTES = [
  ['notSeen', 0.16],
  ['seenNotTreated', 0.22],
  ['treatedOnce', 0.25],
  ['course', 0.37],
] as const;
export type Route = (typeof ROUTES)[number][0];

/**
 * Share of patients with an NHS number who have set a national data opt-out, written to optout-register.csv.
 * Unconfirmed: NHS England's [MI] National Data Opt-out publication counted 1,578,380 opt-outs at 1 June 2020
 * (about 2.6 % of registered patients), and the rate has risen since; 5 % is a round figure in that range, enough
 * for a small demo to show its effect.
 */
export const NATIONAL_DATA_OPT_OUT_SHARE = 0.05;

/** Share of people re-referred: a new referral for an existing patient of the same provider. */
export const RE_REFERRAL_SHARE = 0.1;

/** Problem descriptor mix among assessed referrals: finishers by descriptor, 2023-24 (§3.4). */
export const PROBLEM_DESCRIPTOR_MIX: readonly (readonly [string, number])[] = [
  ['Depression', 284_801],
  ['GAD', 176_010],
  ['MixedAnxietyDepression', 16_667],
  ['PTSD', 41_504],
  ['OCD', 17_526],
  ['Panic', 15_712],
  ['SocialPhobia', 18_095],
  ['Agoraphobia', 4_687],
  ['SpecificPhobia', 6_307],
  ['HealthAnxiety', 10_648],
  ['OtherAnxiety', 25_253],
  ['NotStated', 44_890],
  ['OtherMentalHealth', 7_000],
  ['BDD', 1_200],
  ['IBS', 1_500],
  ['CFS', 900],
  ['MUS', 1_500],
  ['OtherRecorded', 3_000],
];

/** Recovery rate by problem descriptor relative to England (50.1 %), 2023-24 (§3.4). */
const RECOVERY_FACTOR_BY_DESCRIPTOR: Record<string, number> = {
  Depression: 49.2 / 50.1,
  GAD: 57.0 / 50.1,
  MixedAnxietyDepression: 46.9 / 50.1,
  PTSD: 41.0 / 50.1,
  OCD: 44.6 / 50.1,
  Panic: 49.7 / 50.1,
  SocialPhobia: 35.7 / 50.1,
  Agoraphobia: 36.2 / 50.1,
  SpecificPhobia: 64.0 / 50.1,
  HealthAnxiety: 42.6 / 50.1,
  OtherAnxiety: 54.9 / 50.1,
  NotStated: 45.7 / 50.1,
};
const recoveryFactorByDescriptor = (descriptorId: string): number => RECOVERY_FACTOR_BY_DESCRIPTOR[descriptorId] ?? 1;

/** Recovery by IMD decile: 42.3 % in the most deprived (1) to 56.1 % in the least deprived (10) (§3.4). */
const recoveryFactorByImd = (decile: number): number => (42.3 + ((56.1 - 42.3) * (decile - 1)) / 9) / 50.1;
/** Deterioration by IMD decile: 7.2 % most deprived to 5.0 % least deprived (§3.4). */
const deteriorationFactorByImd = (decile: number): number => (7.2 + ((5.0 - 7.2) * (decile - 1)) / 9) / 5.9;

/** Recovery by age group at referral (§3.4). */
function recoveryFactorByAge(age: number): number {
  if (age < 18) return 39.3 / 50.1;
  if (age <= 25) return 43.3 / 50.1;
  if (age <= 64) return 50.8 / 50.1;
  if (age <= 74) return 61.9 / 50.1;
  if (age <= 89) return 65.4 / 50.1;
  return 60.4 / 50.1;
}

/** A finisher's outcome tilts: multipliers on the England recovery and deterioration shares. */
export interface OutcomeTilts {
  recovery(descriptorId: string, imdDecile: number, age: number): number;
  deterioration(imdDecile: number): number;
}

/** Where the synthetic population lives: each provider's share of referrals and its catchment's IMD deciles. */
export interface Catchment {
  weight: number;
  imdDeciles: readonly number[];
}

const weightedMean = (pairs: readonly (readonly [number, number])[]): number => {
  const total = pairs.reduce((sum, [, w]) => sum + w, 0);
  return pairs.reduce((sum, [value, w]) => sum + value * w, 0) / total;
};

/**
 * The published factors are marginal rates relative to England, so their product over a population that is not
 * England's (our descriptor mix, age bands and, above all, catchments' deprivation) would not average to 1: a
 * 150-provider year came out 1.6 points below England's recovery. Each factor is therefore divided by its mean
 * over the population being generated — descriptor and age as drawn (they are drawn independently), IMD over the
 * providers' catchments weighted by their referrals — keeping every published gradient and England's rate.
 */
export function outcomeTilts(catchments: readonly Catchment[]): OutcomeTilts {
  const descriptorMean = weightedMean(PROBLEM_DESCRIPTOR_MIX.map(([id, w]) => [recoveryFactorByDescriptor(id), w] as const));
  const ageMean = weightedMean(AGE_BANDS.flatMap(([low, high, share]) => Array.from({ length: high - low + 1 }, (_, k) => [recoveryFactorByAge(low + k), share / (high - low + 1)] as const)));
  const imdMean = (factor: (decile: number) => number): number =>
    weightedMean(catchments.map((c) => [c.imdDeciles.reduce((sum, d) => sum + factor(d), 0) / c.imdDeciles.length, c.weight] as const));
  const recoveryMean = descriptorMean * ageMean * imdMean(recoveryFactorByImd);
  const deteriorationMean = imdMean(deteriorationFactorByImd);
  return {
    recovery: (descriptorId, imdDecile, age) => (recoveryFactorByDescriptor(descriptorId) * recoveryFactorByImd(imdDecile) * recoveryFactorByAge(age)) / recoveryMean,
    deterioration: (imdDecile) => deteriorationFactorByImd(imdDecile) / deteriorationMean,
  };
}

/**
 * Outcome classes among finishers (shares of all finishers, 2023-24, §3.1):
 * reliable recovery 44.5 %, recovered without reliable improvement 2.9 %, reliable improvement without
 * recovery 20.65 %, reliable deterioration 5.35 %, no reliable change 19.8 %, not at caseness 5.5 %,
 * unpaired (a last score missing) 1.3 %. Together: recovery 50.2 % of (finishers − not caseness),
 * reliable improvement 66.8 %, no change 26.0 %, deterioration 5.9 % of finishers.
 */
export const OUTCOME_CLASSES = {
  recoveredReliably: 0.445,
  recoveredNotReliably: 0.029,
  improvedNotRecovered: 0.2065,
  deteriorated: 0.0535,
  noChange: 0.198,
  notCaseness: 0.055,
  unpaired: 0.013,
} as const;
export type OutcomeClass = keyof typeof OUTCOME_CLASSES;

/** How finishers below caseness at the start change: mostly no reliable change. */
export const NOT_CASENESS_CHANGE = { improved: 0.3, noChange: 0.6, deteriorated: 0.1 } as const;

/**
 * Referral → first treatment wait (days): 93 % log-normal around 15 days, 7 % a long tail around 80 days.
 * Gives ≈ 90 % within 6 weeks and ≈ 98.5 % within 18 weeks of finishers (§3.2: 90.5 % and 98.4 %).
 */
export const FIRST_TREATMENT_WAIT = { main: { median: 15, sigma: 0.5 }, tail: { share: 0.07, median: 80, sigma: 0.55 } } as const;

/** Step of care for people who finish a course; mean attended treatment sessions ≈ 7.9 (§3.3). */
export const STEPS = [
  ['low', 0.45],
  ['high', 0.35],
  ['stepped', 0.2],
] as const;
export const LOW_INTENSITY_EXTRA_SESSIONS_MEAN = 3;
export const HIGH_INTENSITY_EXTRA_SESSIONS_MEAN = 6.5;

/** Share of referrals with an ADSM descriptor whose ADSM is recorded (else only GAD-7). */
export const ADSM_RECORDED_SHARE = 0.7;

/** Non-attendance among booked appointments. */
export const ATTENDANCE = [
  ['5', 0.82],
  ['6', 0.02],
  ['3', 0.09],
  ['2', 0.04],
  ['4', 0.025],
  ['7', 0.005],
] as const;

/** Age at referral bands (finishers 2023-24 ≈ <18 1 %, 18–25 18.5 %, 26–64 74.6 %, 65+ 6.9 %). */
export const AGE_BANDS = [
  [16, 17, 0.01],
  [18, 25, 0.185],
  [26, 64, 0.746],
  [65, 74, 0.047],
  [75, 89, 0.0115],
  [90, 99, 0.0005],
] as const;

/** Stated gender: finishers 459,725 female and 203,306 male in 2023-24 (§3.4). */
export const GENDER = [
  ['2', 0.685],
  ['1', 0.303],
  ['9', 0.002],
  ['X', 0.01],
] as const;

export const ETHNICITY = [
  ['A', 0.7],
  ['B', 0.01],
  ['C', 0.06],
  ['D', 0.01],
  ['E', 0.005],
  ['F', 0.01],
  ['G', 0.01],
  ['H', 0.025],
  ['J', 0.02],
  ['K', 0.008],
  ['L', 0.012],
  ['M', 0.01],
  ['N', 0.02],
  ['P', 0.005],
  ['R', 0.004],
  ['S', 0.015],
  ['Z', 0.03],
  ['99', 0.041],
] as const;

export const SOURCE_OF_REFERRAL = [
  ['B1', 0.62],
  ['A1', 0.27],
  ['A3', 0.02],
  ['H2', 0.02],
  ['I1', 0.01],
  ['G1', 0.02],
  ['D2', 0.01],
  ['M6', 0.03],
] as const;

export const CONSULTATION_MECHANISM = [
  ['01', 0.33],
  ['02', 0.4],
  ['11', 0.24],
  ['05', 0.01],
  ['10', 0.01],
  ['98', 0.01],
] as const;
