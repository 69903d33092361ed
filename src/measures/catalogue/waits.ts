// (being written) measures of this area: see catalogue/index.ts.
import type { Gap, MeasureDefinition } from '../definition.js';

export const WAITS: readonly MeasureDefinition[] = [];

export const WAITS_GAPS: readonly Gap[] = [];
