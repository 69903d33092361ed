// (being written) measures of this area: see catalogue/index.ts.
import type { Gap, MeasureDefinition } from '../definition.js';

export const STEPS: readonly MeasureDefinition[] = [];

export const STEPS_GAPS: readonly Gap[] = [];
