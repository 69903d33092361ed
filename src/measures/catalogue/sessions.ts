// (being written) measures of this area: see catalogue/index.ts.
import type { Gap, MeasureDefinition } from '../definition.js';

export const SESSIONS: readonly MeasureDefinition[] = [];

export const SESSIONS_GAPS: readonly Gap[] = [];
