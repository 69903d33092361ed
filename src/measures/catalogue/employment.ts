// (being written) measures of this area: see catalogue/index.ts.
import type { Gap, MeasureDefinition } from '../definition.js';

export const EMPLOYMENT: readonly MeasureDefinition[] = [];

export const EMPLOYMENT_GAPS: readonly Gap[] = [];
