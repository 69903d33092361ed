// Clinical outcomes of finishers (metadata_measures_monthly M179–M210): caseness, recovery, reliable change,
// paired PHQ-9 and anxiety scores by problem descriptor (M196–M205), reliable recovery by ethnic group.
import { eq, isIn, literal } from '../../core/sql.js';
import { OUTCOME_MEASURES, PROBLEM_DESCRIPTORS } from '../../dataset/index.js';
import { ethnicGroup } from '../../dataset/ethnicGroups.js';
import { and, type Gap, type MeasureDefinition, finishers } from '../definition.js';

// The problem descriptors that call for an anxiety disorder specific measure (the ADSM mapping of
// src/dataset/outcomes.ts), each as a condition on the chosen IDS603 row's validated code, with the prefix of
// its ADSM's derived score columns (null when the ADSM has no accepted tool, so no scores: the CFQ).
const ADSM_DESCRIPTORS = OUTCOME_MEASURES.filter((m) => m.role === 'adsm').flatMap((m) =>
  m.problemDescriptors.map((id) => {
    const group = PROBLEM_DESCRIPTORS.find((g) => g.id === id)!;
    const codes = [...(group.icd10Prefixes ?? []).map((p) => `starts_with(PresentingComplaint, ${literal(p)})`), ...(group.snomed ?? []).map((s) => eq('PresentingComplaint', s))];
    return { when: `(${codes.join(' OR ')})`, scores: m.toolKey };
  }),
);
const ADSM_DESCRIPTOR = `(${ADSM_DESCRIPTORS.map((d) => d.when).join(' OR ')})`;
const lastScore = (scores: string | null) => (scores ? `${scores}_LastScore` : 'NULL');

// M196-M198 and M202 read the anxiety measure the derivation chose (ADSM with ADSM_FirstScore / ADSM_LastScore:
// src/derivation/pathway.ts), so the paired cohort here is the one the outcome flags are built on and improvement
// + no change + deterioration = M202. The NHS constructions spell the same rule out per problem descriptor: "the
// ADSM's last score or GAD-7's".
const PAIRING_NOTE =
  "The construction's per-descriptor test (the descriptor's ADSM score or GAD-7's) is the derived anxiety measure ADSM_FirstScore / ADSM_LastScore (ADSM, else GAD-7: docs/derivations.md), the one the outcome flags use. An ADSM without both thresholds in the outcome table (BIQ, IBS, MUS) is not used, so its referrals are paired on GAD-7 alone.";
const CFQ_NOTE = 'The CFQ (chronic fatigue, G933) has no accepted assessment code, so no CFS scores are derived: those referrals are judged on GAD-7 alone.';
const PAIRED_ANXIETY = 'ADSM_LastScore IS NOT NULL';

// Ethnic groups of the ETHNIC CATEGORY code list (src/dataset/ethnicGroups.ts), matched on the validated item.
const inEthnicGroup = (group: string): string => isIn('Validated_EthnicCategory', ethnicGroup(group).categories.map((c) => c.code));
const ETHNIC_NOTE = 'The construction reads IDS001MPI.EthnicCategory; we use its validated form, Validated_EthnicCategory (the same letter when valid).';
const reliableRecoveryOf = (id: string, name: string, group: string): MeasureDefinition => {
  const inGroup = inEthnicGroup(group);
  return {
    id,
    name,
    frequency: 'Monthly',
    note: ETHNIC_NOTE,
    statistic: 'percentage',
    numerator: [finishers(and('Recovery_Flag AND ReliableImprovement_Flag', inGroup))],
    denominator: [finishers(inGroup), { ...finishers(and('NotCaseness_Flag', inGroup)), subtract: true }],
  };
};

export const OUTCOMES: readonly MeasureDefinition[] = [
  { id: 'M179', name: 'Count_NotAtCaseness', frequency: 'Monthly/Quarterly', statistic: 'count', ...finishers('NotCaseness_Flag') },
  { id: 'M180', name: 'Percentage_NotAtCaseness', frequency: 'Monthly', statistic: 'percentage', numerator: ['M179'], denominator: ['M076'] },
  { id: 'M185', name: 'Count_ReliableImprovement', frequency: 'Monthly/Quarterly', statistic: 'count', ...finishers('ReliableImprovement_Flag') },
  { id: 'M186', name: 'Percentage_ReliableImprovement', frequency: 'Monthly/Quarterly', statistic: 'percentage', numerator: ['M185'], denominator: ['M076'] },
  { id: 'M187', name: 'Count_NoReliableChange', frequency: 'Monthly/Quarterly', statistic: 'count', ...finishers('NoChange_Flag') },
  { id: 'M189', name: 'Count_ReliableDeterioration', frequency: 'Monthly/Quarterly', statistic: 'count', ...finishers('ReliableDeterioration_Flag') },
  { id: 'M1010', name: 'Percentage_ReliableDeterioration', frequency: 'Monthly/Quarterly', statistic: 'percentage', numerator: ['M189'], denominator: ['M076'] },
  { id: 'M191', name: 'Count_Recovery', frequency: 'Monthly/Quarterly', statistic: 'count', ...finishers('Recovery_Flag') },
  { id: 'M192', name: 'Percentage_Recovery', frequency: 'Monthly/Quarterly', statistic: 'percentage', numerator: ['M191'], denominator: ['M076', '-M179'] },
  { id: 'M193', name: 'Count_ReliableRecovery', frequency: 'Monthly/Quarterly', statistic: 'count', ...finishers('Recovery_Flag AND ReliableImprovement_Flag') },
  { id: 'M195', name: 'Percentage_ReliableRecovery', frequency: 'Monthly/Quarterly', statistic: 'percentage', numerator: ['M193'], denominator: ['M076', '-M179'] },
  {
    id: 'M196',
    name: 'Count_FirstADSMOrGADOnly',
    frequency: 'Monthly',
    note: PAIRING_NOTE,
    statistic: 'count',
    ...finishers('ADSM_FirstScore IS NOT NULL AND ADSM_LastScore IS NULL'),
  },
  { id: 'M197', name: 'Count_NoADSMOrGAD', frequency: 'Monthly', note: PAIRING_NOTE, statistic: 'count', ...finishers('ADSM_FirstScore IS NULL') },
  {
    id: 'M198',
    name: 'Count_PairedADSMOrGAD',
    frequency: 'Monthly',
    note: `The construction's brackets are unbalanced (the F42 and F452 lines); we read every descriptor's line as in M196 and M197. ${PAIRING_NOTE}`,
    statistic: 'count',
    ...finishers(PAIRED_ANXIETY),
  },
  { id: 'M199', name: 'Count_FirstPHQOnly', frequency: 'Monthly', statistic: 'count', ...finishers('PHQ9_FirstScore IS NOT NULL AND PHQ9_LastScore IS NULL') },
  { id: 'M200', name: 'Count_NoPHQ', frequency: 'Monthly', note: "The construction's CompletedTreatment_Flag = 'Y' is read as True.", statistic: 'count', ...finishers('PHQ9_FirstScore IS NULL') },
  { id: 'M201', name: 'Count_PairedPHQ', frequency: 'Monthly', statistic: 'count', ...finishers('PHQ9_LastScore IS NOT NULL') },
  {
    id: 'M202',
    name: 'Count_PairedPHQAndADSMOrGAD',
    frequency: 'Monthly',
    note: "The construction's ADSM_LastScore (I101D92) is the paired anxiety score, ADSM or GAD-7, as M198 spells out: our derived ADSM_LastScore is exactly that.",
    statistic: 'count',
    ...finishers(and('PHQ9_LastScore IS NOT NULL', PAIRED_ANXIETY)),
  },
  { id: 'M203', name: 'Count_ADSMFinishedTreatment', frequency: 'Monthly/Quarterly', statistic: 'count', ...finishers(ADSM_DESCRIPTOR) },
  {
    id: 'M204',
    name: 'Count_AppropriatePairedADSM',
    frequency: 'Monthly/Quarterly',
    note:
      "The construction tests the NHS ADSM label against the descriptor. Our derived ADSM names only ADSMs usable for outcomes (never BIQ, IBS or MUS while their thresholds are unknown), so we test what the label stands for: paired scores (a last score, derived only from two or more) on the descriptor's own ADSM. " +
      CFQ_NOTE,
    statistic: 'count',
    ...finishers(ADSM_DESCRIPTORS.filter((d) => d.scores).map((d) => `(${d.when} AND ${lastScore(d.scores)} IS NOT NULL)`).join(' OR ')),
  },
  { id: 'M205', name: 'Percentage_AppropriatePairedADSM', frequency: 'Monthly/Quarterly', note: 'M204 over M203; see M204 for how an appropriate paired ADSM is judged.', statistic: 'percentage', numerator: ['M204'], denominator: ['M203'] },
  reliableRecoveryOf('M206', 'Percentage_ReliableRecovery_EthnicGroupWhite', 'White'),
  reliableRecoveryOf('M207', 'Percentage_ReliableRecovery_EthnicGroupAsianOrAsianBritish', 'Asian or Asian British'),
  reliableRecoveryOf('M208', 'Percentage_ReliableRecovery_EthnicGroupBlackOrBlackBritish', 'Black or Black British'),
  reliableRecoveryOf('M209', 'Percentage_ReliableRecovery_EthnicGroupMixed', 'Mixed'),
  reliableRecoveryOf('M210', 'Percentage_ReliableRecovery_EthnicGroupOther', 'Other Ethnic Groups'),
];

export const OUTCOMES_GAPS: readonly Gap[] = [];
