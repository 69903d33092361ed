// Outcome tilts: the published recovery gradients (problem descriptor, IMD decile, age) and the deterioration
// gradient (IMD), normalised so that over the population being generated they average to 1 and England's
// rates are kept whatever the catchments' deprivation.
import { describe, expect, it } from 'vitest';
import { AGE_BANDS, outcomeTilts, PROBLEM_DESCRIPTOR_MIX } from '../../src/synth/calibration.js';

const catchments = [
  { weight: 3, imdDeciles: [1, 2, 2, 3, 5] },
  { weight: 1, imdDeciles: [8, 9, 10] },
];
const tilts = outcomeTilts(catchments);

/** Mean of f over the generator's draws: descriptor by its mix, age uniform within its band, a provider by weight, an LSOA uniformly. */
function populationMean(f: (descriptor: string, decile: number, age: number) => number): number {
  let sum = 0;
  let total = 0;
  for (const [descriptor, dw] of PROBLEM_DESCRIPTOR_MIX)
    for (const [low, high, share] of AGE_BANDS)
      for (let age = low; age <= high; age++)
        for (const c of catchments)
          for (const decile of c.imdDeciles) {
            const w = dw * (share / (high - low + 1)) * (c.weight / c.imdDeciles.length);
            sum += w * f(descriptor, decile, age);
            total += w;
          }
  return sum / total;
}

describe('outcome tilts', () => {
  it('average to 1 over the population they were made for (recovery and deterioration)', () => {
    expect(populationMean(tilts.recovery)).toBeCloseTo(1, 10);
    expect(populationMean((_, decile) => tilts.deterioration(decile))).toBeCloseTo(1, 10);
  });

  it('would not without normalising: this population is more deprived than England', () => {
    const unnormalised = outcomeTilts([{ weight: 1, imdDeciles: [5.5] }]);
    expect(populationMean(unnormalised.recovery)).toBeLessThan(0.97);
  });

  it('keep the published gradients: IMD 42.3 → 56.1 %, specific vs social phobia 64.0 vs 35.7 %, age 65–74 vs 26–64 61.9 vs 50.8 %, deterioration 7.2 → 5.0 %', () => {
    expect(tilts.recovery('GAD', 10, 40) / tilts.recovery('GAD', 1, 40)).toBeCloseTo(56.1 / 42.3, 10);
    expect(tilts.recovery('SpecificPhobia', 5, 40) / tilts.recovery('SocialPhobia', 5, 40)).toBeCloseTo(64.0 / 35.7, 10);
    expect(tilts.recovery('Depression', 5, 70) / tilts.recovery('Depression', 5, 40)).toBeCloseTo(61.9 / 50.8, 10);
    expect(tilts.deterioration(10) / tilts.deterioration(1)).toBeCloseTo(5.0 / 7.2, 10);
  });
});
