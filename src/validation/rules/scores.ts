// Score checks of IDS606/IDS607 PersScore, built from the spec's assessment tools (ranges and formats).
import { APPOINTMENT_TYPES, ASSESSMENT_TOOLS, type ScoreFormat } from '../../dataset/index.js';

const quote = (s: string): string => `'${s.replace(/'/g, "''")}'`;

function formatOk(score: ScoreFormat): string {
  switch (score.kind) {
    case 'integer':
      return `regexp_full_match(PersScore, '[0-9]{1,${score.maxDigits}}')`;
    case 'decimal':
      return `regexp_full_match(PersScore, '[0-9]\\.[0-9]{1,2}')`;
    case 'coded':
      return `regexp_full_match(PersScore, '[A-Za-z]{1,${Math.max(...score.values.map((v) => v.length))}}')`;
  }
}

function inRange(score: ScoreFormat): string {
  switch (score.kind) {
    case 'integer':
      return `try_cast(PersScore AS INTEGER) BETWEEN ${score.min} AND ${score.max}`;
    case 'decimal':
      return `try_cast(PersScore AS DOUBLE) BETWEEN ${score.min} AND ${score.max}`;
    case 'coded':
      return `PersScore IN (${score.values.map(quote).join(', ')})`;
  }
}

const cases = (f: (score: ScoreFormat) => string): string =>
  `CASE CodedAssToolType ${ASSESSMENT_TOOLS.map((t) => `WHEN ${quote(t.snomed)} THEN ${f(t.score)}`).join(' ')} ELSE false END`;

/** PersScore populated but not in the format its tool requires (IDS60615, IDS60711). */
export const SCORE_BAD_FORMAT = `filled(PersScore) AND ${cases((s) => `NOT ${formatOk(s)}`)}`;

/** PersScore in the right format but outside its tool's valid range (IDS60607, IDS60707). */
export const SCORE_OUT_OF_RANGE = `filled(PersScore) AND ${cases((s) => `${formatOk(s)} AND NOT (${inRange(s)})`)}`;

/** SQL list of the patient experience questionnaire tools (a PEQ after discharge exempts IDS10129). */
export const PEQ_TOOLS = ASSESSMENT_TOOLS.filter((t) => t.role === 'peq')
  .map((t) => quote(t.snomed))
  .join(', ');

/** SQL list of the follow-up appointment types (a follow-up after discharge exempts IDS10129). */
export const FOLLOW_UP_TYPES = APPOINTMENT_TYPES.followUp.map(quote).join(', ');
