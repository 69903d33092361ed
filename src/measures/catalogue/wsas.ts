// (being written) measures of this area: see catalogue/index.ts.
import type { Gap, MeasureDefinition } from '../definition.js';

export const WSAS: readonly MeasureDefinition[] = [];

export const WSAS_GAPS: readonly Gap[] = [];
