// Where the national data opt-out applies, per release route. The table is the policy; the extract commands read
// it, and docs/extracts.md prints it. Sources:
// - NHS Digital, "IAPT data set fair processing guidance" (v2.0), section "Secondary use of data": the table of
//   uses with "Data opt out applicable": submitted data made available to care providers — No; extracts for
//   commissioners — Yes; aggregate data published — No; record-level data through DARS — Yes.
// - NHS England, "National data opt-out operational policy guidance document", section 5 "When does a national
//   data opt-out apply?" (disclosures of confidential patient information for purposes beyond individual care,
//   unless an exemption such as CAG advice under s.251 applies; data anonymised in line with the ICO code is out
//   of scope) and section 8 "Applying the national data opt-out" (the list-cleaning service).
import type { AUDIENCES } from './manifest.js';

export type Audience = (typeof AUDIENCES)[number];

export interface OptOutPolicy {
  /** Whether the opt-out is applied by default. */
  applies: boolean;
  /** How the default can be changed, if it can. */
  exemption: 'none' | 'configuration' | 'agreement';
  /** Why, in the words of the sources above. */
  reason: string;
}

export const OPT_OUT_POLICY: Readonly<Record<Audience, OptOutPolicy>> = {
  provider: {
    applies: false,
    exemption: 'none',
    reason: "the provider's own patients, returned to the organisation that submitted them (IAPT fair processing guidance: made available to care providers — opt-out not applicable)",
  },
  commissioner: {
    applies: true,
    exemption: 'configuration',
    reason: 'record-level data for commissioning, a purpose beyond individual care (IAPT fair processing guidance: commissioner extracts — opt-out applicable)',
  },
  researcher: {
    applies: true,
    exemption: 'agreement',
    reason: 'record-level data released through the Data Access Request Service (IAPT fair processing guidance: DARS — opt-out applicable), unless the agreement records an exemption with its legal basis',
  },
  public: {
    applies: false,
    exemption: 'none',
    reason: 'aggregate statistics with disclosure control, not confidential patient information (IAPT fair processing guidance: published aggregate data — opt-out not applicable; operational policy guidance section 5: anonymised data is out of scope)',
  },
};

/** The manifest record of a route where the opt-out is not applied by policy. */
export const notAppliedByPolicy = (audience: Audience) => ({ applied: false as const, reason: `not applied by policy: ${OPT_OUT_POLICY[audience].reason}` });
