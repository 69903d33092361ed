// `iapt measures` states the outcome thresholds: which are unconfirmed, and which ADSMs judge outcomes (issue 14).
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';

describe('iapt measures: outcome thresholds', () => {
  it('lists every threshold with its status and says which ADSMs fall back to GAD-7', async () => {
    const { code, out } = await run('measures');
    expect(code).toBe(0);
    // PHQ-9 10/6 verified (PMC8411661); the SPIN values are recalled, so marked unconfirmed.
    expect(out).toMatch(/PHQ9 +caseness >= 10 +reliable change 6 +judges outcomes/);
    expect(out).toMatch(/SocialPhobia +caseness >= 19 \(unconfirmed\) +reliable change 10 \(unconfirmed\) +judges outcomes for SocialPhobia/);
    // IBS-SSS >= 75 is the NHS persistent physical symptoms cut-off (M279-M282); no reliable change is published.
    expect(out).toMatch(/IBS +caseness >= 75 +reliable change unknown +not used: IBS referrals are judged on GAD-7/);
    expect(out).toMatch(/Unconfirmed thresholds .*: AgoraAlone, SocialPhobia, PanicDisorder, OCD, PTSD, AnxietyInventory\./);
  });

  it('gives the same table as JSON', async () => {
    const { out } = await run('measures', '--json');
    const { outcomeThresholds } = JSON.parse(out) as { outcomeThresholds: { key: string; judgesOutcomes: boolean; unconfirmed: boolean }[] };
    expect(outcomeThresholds.find((m) => m.key === 'MUS')).toMatchObject({ judgesOutcomes: false, unconfirmed: false });
    expect(outcomeThresholds.find((m) => m.key === 'PTSD')).toMatchObject({ judgesOutcomes: true, unconfirmed: true });
  });
});
