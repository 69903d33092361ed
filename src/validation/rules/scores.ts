// Score checks of IDS606/IDS607 PersScore, built from the spec's assessment tools (ranges and formats).
import { ASSESSMENT_TOOLS, type ScoreFormat } from '../../dataset/index.js';
import { caseOf, isIn, literal } from '../../core/sql.js';

function formatOk(score: ScoreFormat): string {
  switch (score.kind) {
    case 'integer':
      return `regexp_full_match(PersScore, ${literal(`[0-9]{1,${score.maxDigits}}`)})`;
    case 'decimal':
      return `regexp_full_match(PersScore, '[0-9]\\.[0-9]{1,2}')`;
    case 'coded':
      return `regexp_full_match(PersScore, ${literal(`[A-Za-z]{1,${Math.max(...score.values.map((v) => v.length))}}`)})`;
  }
}

function inRange(score: ScoreFormat): string {
  switch (score.kind) {
    case 'integer':
      return `try_cast(PersScore AS INTEGER) BETWEEN ${score.min} AND ${score.max}`;
    case 'decimal':
      return `try_cast(PersScore AS DOUBLE) BETWEEN ${score.min} AND ${score.max}`;
    case 'coded':
      return isIn('PersScore', score.values);
  }
}

/** A condition per assessment tool, chosen by the row's CodedAssToolType; false for a tool the spec does not know. */
const byTool = (condition: (score: ScoreFormat) => string): string =>
  caseOf(
    'CodedAssToolType',
    ASSESSMENT_TOOLS.map((t) => [t.snomed, condition(t.score)]),
    'false',
  );

/** PersScore populated but not in the format its tool requires (IDS60615, IDS60711). */
export const SCORE_BAD_FORMAT = `filled(PersScore) AND ${byTool((s) => `NOT ${formatOk(s)}`)}`;

/** PersScore in the right format but outside its tool's valid range (IDS60607, IDS60707). */
export const SCORE_OUT_OF_RANGE = `filled(PersScore) AND ${byTool((s) => `${formatOk(s)} AND NOT (${inRange(s)})`)}`;

/** The patient experience questionnaire tools (a PEQ after discharge exempts IDS10129). */
export const PEQ_TOOL_CODES: readonly string[] = ASSESSMENT_TOOLS.filter((t) => t.role === 'peq').map((t) => t.snomed);
