// SNOMED CT therapy types recorded in IDS202 `CodeProcAndProcStatus` and the IDS101 count column each
// feeds (reference §4.3; NHS Digital metadata M090–M111, M346; NHS England dashboard SQL).
export type Intensity = 'low' | 'high' | 'employment';

export interface TherapyType {
  snomed: string;
  name: string;
  /** Derived count column on IDS101. */
  countColumn: string;
  intensity: Intensity;
}

export const THERAPY_TYPES: readonly TherapyType[] = [
  { snomed: '748051000000105', name: 'Guided self-help (book)', countColumn: 'GuidedSelfHelp_Book_Count', intensity: 'low' },
  { snomed: '748101000000105', name: 'Non-guided self-help (book)', countColumn: 'NonGuidedSelfHelp_Book_Count', intensity: 'low' },
  { snomed: '748041000000107', name: 'Guided self-help (computer)', countColumn: 'GuidedSelfHelp_Computer_Count', intensity: 'low' },
  { snomed: '748091000000102', name: 'Non-guided self-help (computer)', countColumn: 'NonGuidedSelfHelp_Computer_Count', intensity: 'low' },
  { snomed: '748061000000108', name: 'Structured physical activity', countColumn: 'StructuredPhysicalActivity_Count', intensity: 'low' },
  { snomed: '702545008', name: 'Psychoeducational peer support', countColumn: 'PsychoeducationalPeerSupport_Count', intensity: 'low' },
  { snomed: '1026111000000108', name: 'Other low intensity', countColumn: 'OtherLowIntensity_Count', intensity: 'low' },
  { snomed: '975131000000104', name: 'Community signposting', countColumn: 'CommunitySignPosting_Count', intensity: 'low' },
  { snomed: '199314001', name: 'Ante/post-natal counselling', countColumn: 'AntePostNatalCounselling_Count', intensity: 'low' },
  { snomed: '1127281000000100', name: 'Applied relaxation', countColumn: 'AppliedRelaxation_Count', intensity: 'high' },
  { snomed: '1129471000000105', name: 'Couples therapy for depression', countColumn: 'CouplesTherapyDepression_Count', intensity: 'high' },
  { snomed: '842901000000108', name: 'Collaborative care', countColumn: 'CollaborativeCare_Count', intensity: 'high' },
  { snomed: '286711000000107', name: 'Counselling for depression', countColumn: 'CounsellingDepression_Count', intensity: 'high' },
  { snomed: '314034001', name: 'Brief psychodynamic psychotherapy', countColumn: 'BriefPsychodynamicPsychotherapy_Count', intensity: 'high' },
  { snomed: '449030000', name: 'Eye movement desensitisation and reprocessing', countColumn: 'EyeMovementDesensitisationReprocessing_Count', intensity: 'high' },
  { snomed: '933221000000107', name: 'Mindfulness', countColumn: 'Mindfulness_Count', intensity: 'high' },
  { snomed: '1026131000000100', name: 'Other high intensity', countColumn: 'OtherHighIntensity_Count', intensity: 'high' },
  { snomed: '304891004', name: 'Cognitive behaviour therapy', countColumn: 'CognitiveBehaviourTherapy_Count', intensity: 'high' },
  { snomed: '443730003', name: 'Interpersonal psychotherapy', countColumn: 'InterpersonalPsychotherapy_Count', intensity: 'high' },
  { snomed: '1098051000000103', name: 'Employment support', countColumn: 'EmploymentSupport_Count', intensity: 'employment' },
];

/** Long-term physical health conditions (IDS602, reference §4.5). */
export const LONG_TERM_CONDITIONS: readonly { snomed: string; name: string }[] = [
  { snomed: '195967001', name: 'Asthma' },
  { snomed: '13645005', name: 'Chronic obstructive pulmonary disease' },
  { snomed: '73211009', name: 'Diabetes mellitus' },
  { snomed: '373673007', name: 'Disorder characterized by pain' },
  { snomed: '53619000', name: 'Disorder of digestive system' },
  { snomed: '928000', name: 'Disorder of musculoskeletal system' },
  { snomed: '50043002', name: 'Disorder of respiratory system' },
  { snomed: '95320005', name: 'Disorder of skin' },
  { snomed: '84757009', name: 'Epilepsy' },
  { snomed: '56265001', name: 'Heart disease' },
  { snomed: '363346000', name: 'Malignant neoplastic disease' },
  { snomed: '748031000000103', name: 'No history of long term condition' },
];

/**
 * Social and personal circumstances (IDS011) used in published breakdowns (reference §4.5, verified against the
 * constructions of V013 and V014): `category` is the VariableA label NHS England publishes for the code in the religion
 * (V013) and sexual orientation (V014) breakdowns. Listed in the published category order.
 */
export const SOCIAL_CIRCUMSTANCES: readonly { snomed: string; name: string; group: 'religion' | 'sexualOrientation'; category: string }[] = [
  { snomed: '429732005', name: "Baha'i", group: 'religion', category: 'Baha`i' },
  { snomed: '309687009', name: 'Buddhist', group: 'religion', category: 'Buddhist' },
  { snomed: '160549006', name: 'Christian', group: 'religion', category: 'Christian' },
  { snomed: '160545000', name: 'Hindu', group: 'religion', category: 'Hindu' },
  { snomed: '429787006', name: 'Jain', group: 'religion', category: 'Jain' },
  { snomed: '160543007', name: 'Jewish', group: 'religion', category: 'Jewish' },
  { snomed: '309884000', name: 'Muslim', group: 'religion', category: 'Muslim' },
  { snomed: '160552003', name: 'No religion', group: 'religion', category: 'None' },
  { snomed: '62458008', name: 'Other religion', group: 'religion', category: 'Other' },
  { snomed: '160567004', name: 'Other religion', group: 'religion', category: 'Other' },
  { snomed: '205141000000101', name: 'Pagan', group: 'religion', category: 'Pagan' },
  { snomed: '366740002', name: 'Sikh', group: 'religion', category: 'Sikh' },
  { snomed: '429790000', name: 'Zoroastrian', group: 'religion', category: 'Zoroastrian' },
  { snomed: '763896000', name: 'Religion not stated', group: 'religion', category: 'Not stated/Not known/Invalid' },
  { snomed: '205081000000105', name: 'Religion not known', group: 'religion', category: 'Not stated/Not known/Invalid' },
  { snomed: '20430005', name: 'Heterosexual', group: 'sexualOrientation', category: 'Heterosexual' },
  { snomed: '76102007', name: 'Gay or lesbian', group: 'sexualOrientation', category: 'Gay/Lesbian' },
  { snomed: '89217008', name: 'Gay or lesbian', group: 'sexualOrientation', category: 'Gay/Lesbian' },
  { snomed: '42035005', name: 'Bisexual', group: 'sexualOrientation', category: 'Bi-sexual' },
];

/** Internet-enabled therapy programmes as classified for V009 (substring match, case-insensitive). */
export const IET_PROGRAMMES: readonly string[] = [
  'BDD-NET',
  'Beating the Blues',
  'Daylight',
  'Deprexis',
  'Fear Fighter',
  'Minddistrict',
  'OCD-NET',
  'Regul8',
  'SilverCloud',
  'Sleepio',
];
