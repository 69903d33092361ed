// First and last outcome scores that realise a chosen outcome class under the thresholds of
// src/dataset/outcomes.ts. Scores are drawn from plausible distributions and kept only when they
// classify as intended (rejection sampling), so changing a threshold changes the data, not the rates.
import { atCaseness, toolByKey, type OutcomeMeasure } from '../dataset/index.js';
import type { Rng } from './random.js';

export interface Scale {
  min: number;
  max: number;
  /** Smallest step between scores: 1 for integer tools, 0.01 for the Mobility Inventory. */
  step: number;
}

export function scaleOf(measure: OutcomeMeasure): Scale {
  const tool = toolByKey(measure.toolKey ?? 'GAD');
  if (tool.score.kind === 'coded') throw new Error(`${tool.key} is not a scored outcome measure`);
  return { min: tool.score.min, max: tool.score.max, step: tool.score.kind === 'decimal' ? 0.01 : 1 };
}

export interface Pair {
  first: number;
  last: number;
}

export type Change = 'improved' | 'deteriorated' | 'none';

const roundTo = (value: number, step: number): number => (step === 1 ? Math.round(value) : Math.round(value / step) * step);
const fix = (value: number, scale: Scale): number => {
  const v = Math.min(scale.max, Math.max(scale.min, roundTo(value, scale.step)));
  return scale.step === 1 ? v : Number(v.toFixed(2));
};

function change(measure: OutcomeMeasure, pair: Pair): Change {
  const rc = measure.reliableChange!;
  const delta = Math.round((pair.first - pair.last) * 100) / 100;
  if (delta >= rc) return 'improved';
  if (-delta >= rc) return 'deteriorated';
  return 'none';
}

/** The outcome of a paired depression + anxiety score set, by the rules of derivation (docs/derivations.md). */
export function classify(depression: OutcomeMeasure, anxiety: OutcomeMeasure, d: Pair, a: Pair) {
  const caseness = atCaseness(depression, d.first) || atCaseness(anxiety, a.first);
  const recovered = caseness && !atCaseness(depression, d.last) && !atCaseness(anxiety, a.last);
  const cd = change(depression, d);
  const ca = change(anxiety, a);
  const improved = (cd === 'improved' || ca === 'improved') && cd !== 'deteriorated' && ca !== 'deteriorated';
  const deteriorated = (cd === 'deteriorated' || ca === 'deteriorated') && cd !== 'improved' && ca !== 'improved';
  return { caseness, recovered, improved, deteriorated };
}

export type Target =
  | 'recoveredReliably'
  | 'recoveredNotReliably'
  | 'improvedNotRecovered'
  | 'deteriorated'
  | 'noChange'
  | 'notCasenessImproved'
  | 'notCasenessNoChange'
  | 'notCasenessDeteriorated';

function matches(target: Target, o: ReturnType<typeof classify>): boolean {
  switch (target) {
    case 'recoveredReliably':
      return o.caseness && o.recovered && o.improved;
    case 'recoveredNotReliably':
      return o.caseness && o.recovered && !o.improved;
    case 'improvedNotRecovered':
      return o.caseness && !o.recovered && o.improved;
    case 'deteriorated':
      return o.caseness && !o.recovered && o.deteriorated;
    case 'noChange':
      return o.caseness && !o.recovered && !o.improved && !o.deteriorated;
    case 'notCasenessImproved':
      return !o.caseness && o.improved;
    case 'notCasenessNoChange':
      return !o.caseness && !o.improved && !o.deteriorated;
    case 'notCasenessDeteriorated':
      return !o.caseness && o.deteriorated;
  }
}

/** Proposes a first score for someone at (or below) caseness on this measure. */
function proposeFirst(rng: Rng, measure: OutcomeMeasure, scale: Scale, atCase: boolean, severity: number): number {
  const cut = measure.caseness!.value;
  if (!atCase) return fix(scale.min + rng.next() * (cut - scale.min), scale);
  const mean = Math.min(scale.max, cut * 1.6);
  return fix(Math.max(cut, mean + (severity * 0.8 + rng.normal() * 0.6) * cut * 0.5), scale);
}

type Move = 'fall' | 'rise' | 'steady' | 'recover';

/** A last score that moves from `first` as asked: a reliable fall or rise, a small change, or below caseness. */
function moveLast(rng: Rng, move: Move, measure: OutcomeMeasure, scale: Scale, first: number): number {
  const cut = measure.caseness!.value;
  const rc = measure.reliableChange!;
  switch (move) {
    case 'recover':
      return fix(scale.min + rng.next() * (cut - scale.min), scale);
    case 'fall':
      return fix(first - rc * (1 + rng.next() * 1.5), scale);
    case 'rise':
      return fix(first + rc * (1 + rng.next()), scale);
    case 'steady':
      return fix(first + rc * (rng.next() * 1.6 - 0.8), scale);
  }
}

/** How each measure moves for a target: [depression, anxiety]. */
function movesFor(rng: Rng, target: Target): [Move, Move] {
  const one = <T extends Move>(a: T, b: Move): [Move, Move] => (rng.chance(0.5) ? [a, b] : [b, a]);
  switch (target) {
    case 'recoveredReliably':
    case 'recoveredNotReliably':
      return ['recover', 'recover'];
    case 'improvedNotRecovered':
      return rng.chance(0.5) ? ['fall', 'fall'] : one('fall', 'steady');
    case 'notCasenessImproved':
      return one('fall', 'steady');
    case 'deteriorated':
    case 'notCasenessDeteriorated':
      return one('rise', 'steady');
    case 'noChange':
    case 'notCasenessNoChange':
      return ['steady', 'steady'];
  }
}

/**
 * Draws depression (PHQ-9) and anxiety-measure score pairs that realise `target`. `severity` (standard
 * normal) shifts the starting scores so that the two measures move together.
 */
export function drawPairs(rng: Rng, target: Target, depression: OutcomeMeasure, anxiety: OutcomeMeasure, severity: number): { d: Pair; a: Pair } {
  const ds = scaleOf(depression);
  const as = scaleOf(anxiety);
  const notCase = target.startsWith('notCaseness');
  for (let attempt = 0; attempt < 5000; attempt++) {
    const [dMove, aMove] = movesFor(rng, target);
    // Later attempts ignore the person's severity, which can make a target unreachable.
    const sev = attempt < 50 ? severity : rng.normal();
    let d1: number;
    let a1: number;
    if (target === 'recoveredNotReliably') {
      // Recovering without reliable change needs starting scores just above the cut-off.
      const near = (m: OutcomeMeasure, s: Scale, atCase: boolean) => fix(m.caseness!.value + (atCase ? rng.next() : -rng.next()) * m.reliableChange! * 0.9, s);
      const dCase = rng.chance(0.7);
      d1 = near(depression, ds, dCase);
      a1 = near(anxiety, as, !dCase || rng.chance(0.4));
    } else {
      const dCase = notCase ? false : rng.chance(0.93);
      const aCase = notCase ? false : !dCase || rng.chance(0.8);
      d1 = proposeFirst(rng, depression, ds, dCase, sev);
      a1 = proposeFirst(rng, anxiety, as, aCase, sev);
    }
    const d = { first: d1, last: moveLast(rng, dMove, depression, ds, d1) };
    const a = { first: a1, last: moveLast(rng, aMove, anxiety, as, a1) };
    if (target === 'recoveredNotReliably') {
      d.last = fix(Math.max(d.last, d.first - depression.reliableChange! + ds.step), ds);
      a.last = fix(Math.max(a.last, a.first - anxiety.reliableChange! + as.step), as);
    }
    if (matches(target, classify(depression, anxiety, d, a))) return { d, a };
  }
  throw new Error(`could not draw ${target} scores for ${depression.key}/${anxiety.key}`);
}

/** Scores between the first and the last, drifting from one to the other with noise. */
export function trajectory(rng: Rng, pair: Pair, points: number, scale: Scale): number[] {
  if (points <= 1) return [pair.first];
  const values: number[] = [];
  for (let k = 0; k < points; k++) {
    if (k === 0) values.push(pair.first);
    else if (k === points - 1) values.push(pair.last);
    else {
      const t = Math.pow(k / (points - 1), 0.8);
      const spread = (scale.max - scale.min) * 0.04;
      values.push(fix(pair.first + (pair.last - pair.first) * t + rng.normal() * spread, scale));
    }
  }
  return values;
}

/** A score as submitted in PersScore: integers plain, Mobility Inventory as d.d or d.dd. */
export function scoreText(value: number, scale: Scale): string {
  if (scale.step === 1) return String(Math.round(value));
  const text = value.toFixed(2);
  return text.endsWith('0') ? value.toFixed(1) : text;
}
