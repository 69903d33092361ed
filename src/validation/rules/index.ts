import { NHS_RULES } from './nhs.js';
import { OUR_RULES } from './ours.js';
import type { Rule } from '../types.js';

/** Every implemented rule: the NHS rule set and ours. */
export const RULES: readonly Rule[] = [...NHS_RULES, ...OUR_RULES];

