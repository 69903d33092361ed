// (being written) measures of this area: see catalogue/index.ts.
import type { Gap, MeasureDefinition } from '../definition.js';

export const LTC: readonly MeasureDefinition[] = [];

export const LTC_GAPS: readonly Gap[] = [];
