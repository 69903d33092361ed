// (being written) measures of this area: see catalogue/index.ts.
import type { Gap, MeasureDefinition } from '../definition.js';

export const APPOINTMENTS: readonly MeasureDefinition[] = [];

export const APPOINTMENTS_GAPS: readonly Gap[] = [];
