// Labels NHS England publishes for codes of the data set where they differ from the code list's meanings, and the
// groups it publishes codes in (metadata_variables_annual; measures_annual 2024-25; the quarterly variables of
// metadata_measures_monthly). The breakdowns (src/measures/breakdowns.ts, variables.ts) read them from here.

/**
 * Consultation Medium (annual): the published label of each ConsMechanism code of v2.1 and of the v2.0
 * ConsMediumUsed codes kept for older appointments (03, 06, 08), in the published order (metadata_variables_annual:
 * the code of each label).
 */
export const CONSULTATION_MEDIUM_LABELS: readonly (readonly [code: string, label: string])[] = [
  ['01', 'Face to face communication'],
  ['02', 'Telephone'],
  ['03', 'Telemedicine'],
  ['11', 'Video consultation'],
  ['04', 'Talk type for a person unable to speak'],
  ['05', 'Email'],
  ['06', 'Short Message Service (SMS)'],
  ['08', 'Online Instant Messaging'],
  ['09', 'Text Message (Asynchronous)'],
  ['10', 'Instant messaging (Synchronous)'],
  ['12', 'Message Board (Asynchronous)'],
  ['13', 'Chat Room (Synchronous)'],
  ['98', 'Other (not listed)'],
];

/**
 * Mental Health Care Cluster (annual): each group of AMHCareClustCodeFin codes under its published label, in the
 * published order (measures_annual 2024-25; the metadata capitalises some labels differently).
 */
export const CARE_CLUSTER_GROUPS: readonly (readonly [label: string, codes: readonly string[]])[] = [
  ['Other mental health care cluster', ['00', '09']],
  ['Common Mental Health Problems (Low Severity)', ['01']],
  ['Common Mental Health Problems (Low Severity with Greater Need)', ['02']],
  ['Non-Psychotic (Moderate Severity)', ['03']],
  ['Non-Psychotic (Severe)', ['04']],
  ['Non-Psychotic Disorders (Very Severe)', ['05']],
  ['Non-Psychotic Disorders', ['06', '07', '08']],
  ['Psychosis', ['10', '11', '12', '13', '14', '15', '16', '17']],
  ['Cognitive impairment or dementia', ['18', '19', '20', '21']],
];

/** Disability (V003, annual Disability Type): the published label of a DisabCode where it differs from the meaning. */
export const DISABILITY_LABELS: Readonly<Record<string, string>> = {
  '01': 'Behaviour and Emotional',
  '03': 'Manual Dexterity',
  '04': 'Memory or ability to concentrate, learn or understand (Learning Disability)',
  '05': 'Mobility and Gross Motor',
  '06': 'Perception of Physical Danger',
  '07': 'Personal, Self Care and Continence',
  '08': 'Progressive Conditions and Physical Health (such as HIV, cancer, multiple sclerosis, fits etc)',
  NN: 'No Disability',
  ZZ: 'Not Stated',
};
