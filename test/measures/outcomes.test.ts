// Outcome measures M179–M210 on hand-built finishers with known answers: the outcome flags, paired PHQ-9 and
// anxiety scores by problem descriptor, and reliable recovery by ethnic group.
import { beforeAll, describe, expect, it } from 'vitest';
import { OUTCOMES } from '../../src/measures/catalogue/outcomes.js';
import { measure, type Row, ids } from './fixture.js';

const MAY = '2024-05-15';

/** A finisher discharged in May 2024 (the test period) unless overridden. */
const finisher = (id: string, fields: Row = {}): Row => ({ PathwayID: id, Person_ID: `p${id}`, ServDischDate: MAY, CompletedTreatment_Flag: true, TreatmentCareContact_Count: 4, ...fields });

describe('outcome flags (M179–M195)', () => {
  const referrals: Row[] = [
    finisher('r1', { NotCaseness_Flag: true }),
    finisher('r2', { Recovery_Flag: true, ReliableImprovement_Flag: true }),
    finisher('r3', { Recovery_Flag: true, NoChange_Flag: true }),
    finisher('r4', { ReliableImprovement_Flag: true }),
    finisher('r5', { ReliableDeterioration_Flag: true }),
    finisher('r6', { NoChange_Flag: true }),
    // Not counted: discharged in April; not used for the period.
    finisher('r7', { ServDischDate: '2024-04-30', Recovery_Flag: true, ReliableImprovement_Flag: true, NotCaseness_Flag: true }),
    finisher('r8', { UsePathway_Flag: false, Recovery_Flag: true, ReliableImprovement_Flag: true, ReliableDeterioration_Flag: true }),
  ];

  it('counts finishers by flag and takes percentages of finishers, recovery of those at caseness', async () => {
    const { value } = await measure({ referrals }, ids('M179', 'M180', 'M185', 'M186', 'M187', 'M189', 'M1010', 'M191', 'M192', 'M193', 'M195'));
    expect(value('M076')).toBe(6);
    expect(value('M179')).toBe(1);
    expect(value('M180')).toBeCloseTo(100 / 6, 6);
    expect(value('M185')).toBe(2);
    expect(value('M186')).toBeCloseTo(100 / 3, 6);
    expect(value('M187')).toBe(2);
    expect(value('M189')).toBe(1);
    expect(value('M1010')).toBeCloseTo(100 / 6, 6);
    expect(value('M191')).toBe(2);
    expect(value('M192')).toBe(40);
    expect(value('M193')).toBe(1);
    expect(value('M195')).toBe(20);
  });

  it('does not count a flagged referral that did not finish (M179, M191)', async () => {
    const unfinished = [finisher('u', { CompletedTreatment_Flag: false, NotCaseness_Flag: true, Recovery_Flag: true })];
    const { value } = await measure({ referrals: unfinished }, ids('M179', 'M191', 'M192'));
    expect(value('M179')).toBe(0);
    expect(value('M191')).toBe(0);
    expect(value('M192')).toBeNull();
  });
});

describe('paired scores by problem descriptor (M196–M205)', () => {
  // Scores are null unless set (fixture defaults).
  const pc = (id: string, code: string | null, scores: Row = {}, fields: Row = {}): Row => finisher(id, { PresentingComplaint: code, ...scores, ...fields });
  const first = (tool: string, score = 10): Row => ({ [`${tool}_FirstScore`]: score });
  const paired = (tool: string): Row => ({ [`${tool}_FirstScore`]: 12, [`${tool}_LastScore`]: 6 });

  // The anxiety measure the derivation picks (src/derivation/pathway.ts, tested in test/derivation): its scores
  // ADSM_FirstScore / ADSM_LastScore are what M196-M198 and M202 read.
  const anxiety = (kind: 'first' | 'none' | 'paired'): Row => (kind === 'none' ? {} : kind === 'first' ? { ADSM_FirstScore: 12 } : { ADSM_FirstScore: 12, ADSM_LastScore: 6 });
  const row = (kind: 'first' | 'none' | 'paired', id: string, code: string | null, scores: Row = {}): [Row, 'first' | 'none' | 'paired'] => [pc(id, code, { ...scores, ...anxiety(kind) }), kind];

  // [row, which of M196 (first only) / M197 (none) / M198 (paired) it belongs to]
  const CASES: [Row, 'first' | 'none' | 'paired'][] = [
    row('first', 'agora-first', 'F400', first('AgoraAlone', 3.1)),
    row('paired', 'agora-paired', 'F400', { ...paired('AgoraAlone'), ...paired('PHQ9') }),
    row('none', 'agora-none', 'F400', first('PHQ9')),
    // Agoraphobia with GAD-7 paired and the Mobility Inventory first only: paired on GAD-7.
    row('paired', 'agora-gad-paired', 'F400', { ...first('AgoraAlone'), ...paired('GAD'), ...paired('PHQ9') }),
    row('first', 'social-gad-first', 'F401', first('GAD')),
    row('first', 'panic-first', 'F410', first('PanicDisorder')),
    row('first', 'ocd-first', 'F429', { ...first('OCD'), ...first('PHQ9') }),
    row('paired', 'ptsd-paired', 'F4310', { ...paired('PTSD'), ...first('PHQ9') }),
    row('none', 'health-none', 'F452', {}),
    // BIQ, IBS-SSS and PHQ-15 judge nothing while their thresholds are unknown (src/dataset/outcomes.ts): GAD-7 alone
    // decides for these descriptors, and these rows have no GAD-7 score.
    row('none', 'bdd-paired', '83482000', paired('BIQ')),
    // Chronic fatigue: no CFQ scores exist, so GAD-7 decides.
    row('first', 'cfs-gad-first', 'G933', first('GAD')),
    row('paired', 'cfs-gad-paired', 'G933', { ...paired('GAD'), ...paired('PHQ9') }),
    row('none', 'ibs-none', 'K580', {}),
    row('none', 'ibs-first', 'K589', first('IBS')),
    row('none', 'mus-paired', '723916001', { ...paired('PHQ15'), ...paired('PHQ9') }),
    // Not an ADSM descriptor: GAD-7 alone decides, whatever ADSM scores there are.
    row('first', 'gad-first', 'F411', { ...paired('AgoraAlone'), ...first('GAD') }),
    row('none', 'depression-agora', 'F321', first('AgoraAlone')),
    row('paired', 'other-anxiety', 'F40X', { ...paired('GAD'), ...paired('PHQ9') }),
    row('paired', 'invalid-gad', '-3', paired('GAD')),
    row('none', 'no-descriptor', null, first('PHQ9')),
  ];
  const referrals: Row[] = [
    ...CASES.map(([r]) => r),
    // Not counted: not finished, discharged in April, not used for the period.
    pc('unfinished', '83482000', { ...paired('BIQ'), ...paired('PHQ9'), ...anxiety('paired') }, { CompletedTreatment_Flag: false }),
    pc('april', 'F401', { ...paired('SocialPhobia'), ...paired('PHQ9'), ...anxiety('paired') }, { ServDischDate: '2024-04-01' }),
    pc('unused', 'F400', { ...paired('AgoraAlone'), ...paired('PHQ9'), ...anxiety('paired') }, { UsePathway_Flag: false }),
  ];
  const expected = (kind: string) => CASES.filter(([, k]) => k === kind).length;
  let value: Awaited<ReturnType<typeof measure>>['value'];
  beforeAll(async () => {
    ({ value } = await measure({ referrals }, ids('M196', 'M197', 'M198', 'M076', 'M199', 'M200', 'M201', 'M202', 'M203', 'M204', 'M205')));
  });

  it('splits finishers into first anxiety score only (M196), none (M197) and paired (M198) on the derived anxiety measure', () => {
    expect(value('M196')).toBe(expected('first'));
    expect(value('M196')).toBe(6);
    expect(value('M197')).toBe(8);
    expect(value('M198')).toBe(6);
    expect(value('M196')! + value('M197')! + value('M198')!).toBe(value('M076'));
  });

  it('counts first-only (M199), no (M200) and paired (M201) PHQ-9 scores, and both paired (M202)', () => {
    // First only: agora-none, ocd-first, ptsd-paired, no-descriptor. Paired: agora-paired, agora-gad-paired,
    // cfs-gad-paired, mus-paired, other-anxiety. The other 11 have none.
    expect(value('M199')).toBe(4);
    expect(value('M201')).toBe(5);
    expect(value('M200')).toBe(11);
    // Paired PHQ-9 and paired anxiety (M198): the five less mus-paired, whose anxiety measure (GAD-7) has no score.
    expect(value('M202')).toBe(4);
  });

  it('pairs PHQ-9 with the derived anxiety measure, GAD-7 here (M202 reads ADSM_LastScore)', async () => {
    const rows = [
      // Agoraphobia with paired GAD-7 but no AgoraAlone last score: the derivation's anxiety measure is GAD-7, paired.
      pc('a', 'F400', { ...first('AgoraAlone'), ...paired('GAD'), ...paired('PHQ9') }, { ADSM: 'GAD', ADSM_FirstScore: 12, ADSM_LastScore: 6 }),
      // Paired PHQ-9, anxiety first only.
      pc('b', 'F411', { ...first('GAD'), ...paired('PHQ9') }, { ADSM: 'GAD', ADSM_FirstScore: 10 }),
    ];
    const gad = await measure({ referrals: rows }, ids('M202'));
    expect(gad.value('M202')).toBe(1);
  });

  it('counts finishers with an ADSM descriptor (M203), those paired on its own ADSM (M204), and the rate (M205)', () => {
    // The ten NHS codes: F400, F401, F410, F42, F431, F452, 83482000, G933, K58, 723916001 — 15 rows.
    expect(value('M203')).toBe(15);
    // Own ADSM paired: agora-paired, ptsd-paired, bdd-paired, mus-paired (GAD-7 pairs and CFS never count).
    expect(value('M204')).toBe(4);
    expect(value('M205')).toBeCloseTo((100 * 4) / 15, 6);
  });

  it('matches every NHS ADSM code and no neighbouring code (M203)', async () => {
    const codes = ['F400', 'F4001', 'F401', 'F410', 'F420', 'F42X', 'F431', 'F452', '83482000', 'G933', 'K58X', '723916001'];
    const others = ['F402', 'F411', 'F430', 'F453', 'G932', 'K59X', '834820001', '72391600', 'F32X', '-3'];
    const rows = [...codes, ...others].map((code, i) => pc(`c${i}`, code));
    const matched = await measure({ referrals: rows }, ids('M203'));
    expect(matched.value('M203')).toBe(codes.length);
  });

  it('gives M205 as undefined without ADSM descriptors', async () => {
    const none = await measure({ referrals: [pc('x', 'F321', paired('GAD'))] }, ids('M205'));
    expect(none.value('M205')).toBeNull();
  });
});

describe('reliable recovery by ethnic group (M206–M210)', () => {
  const RR = { Recovery_Flag: true, ReliableImprovement_Flag: true };
  // [id, validated ethnic category, flags]
  const PEOPLE: [string, string | null, Row][] = [
    ['w1', 'A', RR],
    ['w2', 'B', {}],
    ['w3', 'C', { NotCaseness_Flag: true }],
    ['w4', 'A', { Recovery_Flag: true }],
    ['a1', 'H', RR],
    ['a2', 'J', {}],
    ['a3', 'K', {}],
    ['a4', 'L', {}],
    ['b1', 'M', RR],
    ['b2', 'N', RR],
    ['b3', 'P', {}],
    ['m1', 'D', RR],
    ['m2', 'E', {}],
    ['m3', 'F', {}],
    ['m4', 'G', { NotCaseness_Flag: true }],
    ['o1', 'R', RR],
    ['o2', 'S', RR],
    // In no group.
    ['z1', 'Z', RR],
    ['z2', '99', RR],
    ['z3', '-1', RR],
    ['z4', '-3', RR],
    ['z5', null, RR],
  ];
  const referrals: Row[] = [
    ...PEOPLE.map(([id, , flags]) => finisher(id, flags)),
    // Not counted: discharged in April, not finished.
    finisher('w5', { ...RR, ServDischDate: '2024-04-10' }),
    finisher('w6', { CompletedTreatment_Flag: false }),
  ];
  const people: Row[] = [...PEOPLE.map(([id, ethnic]) => ({ Person_ID: `p${id}`, Validated_EthnicCategory: ethnic })), { Person_ID: 'pw5', Validated_EthnicCategory: 'A' }, { Person_ID: 'pw6', Validated_EthnicCategory: 'A' }];

  it('takes reliable recovery over finishers at caseness within each group', async () => {
    const { value, cell } = await measure({ referrals, people }, ids('M206', 'M207', 'M208', 'M209', 'M210'));
    // White: w1 of (4 finishers − w3 not at caseness); w4 recovered without reliable improvement.
    expect(value('M206')).toBeCloseTo(100 / 3, 6);
    expect(cell('M206')!.numerator).toBe(1);
    expect(cell('M206')!.denominator).toBe(3);
    expect(value('M207')).toBe(25);
    expect(value('M208')).toBeCloseTo(200 / 3, 6);
    expect(value('M209')).toBeCloseTo(100 / 3, 6);
    expect(value('M210')).toBe(100);
    expect(value('M206', 'Provider', 'RA1')).toBeCloseTo(100 / 3, 6);
  });

  it('gives a group with no finishers as undefined', async () => {
    const { value } = await measure({ referrals: referrals.filter((r) => r.PathwayID !== 'o1' && r.PathwayID !== 'o2'), people }, ids('M210'));
    expect(value('M210')).toBeNull();
  });
});

describe('outcome definitions', () => {
  it('implements M179–M210 but M184 (activity), notes its interpretations', () => {
    const ours = OUTCOMES.map((m) => m.id);
    const note = (id: string) => OUTCOMES.find((m) => m.id === id)!.note ?? '';
    // Each note names what it interprets: the derived anxiety measure, the unbalanced brackets, the validated item.
    for (const id of ['M196', 'M197', 'M198']) expect(note(id), id).toMatch(/ADSM_FirstScore \/ ADSM_LastScore/);
    expect(note('M198')).toMatch(/brackets are unbalanced/);
    expect(note('M202')).toMatch(/ADSM_LastScore \(I101D92\)/);
    expect(note('M204')).toMatch(/CFQ/);
    for (const id of ['M206', 'M210']) expect(note(id), id).toMatch(/Validated_EthnicCategory/);
    expect(ours).not.toContain('M184');
    expect(ours.length).toBe(new Set(ours).size);
  });
});
