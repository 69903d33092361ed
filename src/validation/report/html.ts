// report.html — the validation report as one self-contained page for a service manager: was the monthly
// submission accepted, and what needs fixing. Everything in it comes from report.json; nothing is generated
// at render time, so the same report always renders to the same bytes.
import { escapeHtml } from '../../core/html.js';
import type { Severity } from '../types.js';
import type { ReportDataQuality, ReportExample, ReportFinding, ReportNotRun, ReportTable, ValidationReport } from './types.js';

const TITLE = 'IAPT data submission — validation report';

const SEVERITY_HEADINGS: ReadonlyArray<readonly [Severity, string]> = [
  ['reject_file', 'Whole file rejected'],
  ['reject_group', 'Records rejected with everything that depends on them'],
  ['reject_record', 'Records rejected'],
  ['warning', 'Warnings (records kept)'],
];

const NOT_GIVEN = '—';

const STYLE = `
:root { color: #212b32; background: #ffffff; }
body { font-family: Arial, "Helvetica Neue", Helvetica, sans-serif; font-size: 16px; line-height: 1.5; margin: 0 auto; max-width: 72rem; padding: 1.5rem; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: 0 0 1rem; }
h2 { font-size: 1.375rem; margin: 2.25rem 0 0.75rem; border-bottom: 2px solid #d8dde0; padding-bottom: 0.25rem; }
h3 { font-size: 1.125rem; margin: 1.75rem 0 0.5rem; }
h4 { font-size: 1rem; margin: 0 0 0.25rem; }
p { margin: 0.5rem 0; }
code, .mono { font-family: Consolas, "Liberation Mono", Menlo, monospace; font-size: 0.9em; }
.verdict { border: 3px solid; border-left-width: 12px; padding: 1rem 1.25rem; margin: 0 0 1.5rem; }
.verdict-word { font-size: 2.5rem; font-weight: bold; line-height: 1.1; margin: 0 0 0.5rem; }
.verdict p:last-child { font-size: 1.125rem; margin: 0; }
.accepted { border-color: #007f3b; background: #e6f4ec; color: #00401e; }
.rejected { border-color: #b10e1e; background: #fbe9ea; color: #6b0710; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; }
th, td { border: 1px solid #aeb7bd; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
thead th { background: #e8edee; }
.facts th { background: #f0f4f5; font-weight: bold; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.sha { word-break: break-all; }
.value { white-space: pre-wrap; word-break: break-word; }
tr.attention > * { background: #fff1d6; }
.compact { font-size: 0.875rem; }
.compact th, .compact td { padding: 0.1rem 0.45rem; }
.finding { border: 1px solid #d8dde0; border-left: 6px solid #768692; padding: 0.75rem 1rem; margin: 0 0 1rem; }
.finding-meta { color: #4c6272; margin: 0; }
.finding .examples { font-size: 0.875rem; }
.note { color: #4c6272; font-size: 0.875rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media print {
  body { font-size: 10pt; max-width: none; padding: 0; }
  .verdict, tr.attention > *, thead th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  thead { display: table-header-group; }
  tr, .verdict { break-inside: avoid; }
  h2, h3, h4 { break-after: avoid; }
}
`;

export function renderReportHtml(report: ValidationReport): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(`${TITLE}: ${verdictWord(report)} — ${report.submission.file}`)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    `<h1>${escapeHtml(TITLE)}</h1>`,
    renderVerdict(report),
    renderFacts(report),
    renderTableCounts(report.tables),
    renderFindings(report.findings, report.exampleLimit),
    renderNotRun(report.notRun),
    renderDataQuality(report.dataQuality),
    '</main>',
    '</body>',
    '</html>',
  ]
    .filter((part) => part !== '') // sections with nothing to show render as ''
    .join('\n')
    .concat('\n');
}

function verdictWord(report: ValidationReport): string {
  return report.outcome === 'accepted' ? 'Accepted' : 'Rejected';
}

function renderVerdict(report: ValidationReport): string {
  // Only numbers from the report go into the sentence, so it needs no escaping.
  let sentence: string;
  if (report.outcome === 'accepted') {
    const rejected = sum(report.tables.map((t) => t.rejected));
    const warnings = sum(report.findings.filter((f) => f.severity === 'warning').map((f) => f.count));
    sentence =
      `The submission can be loaded. ${plural(rejected, 'record was', 'records were')} rejected and will not be loaded; ` +
      `${plural(warnings, 'warning does', 'warnings do')} not stop loading.`;
  } else {
    sentence = "The whole submission was rejected: fix the problems marked 'Whole file rejected' and submit again.";
  }
  return [
    `<section class="verdict ${report.outcome}" aria-label="Verdict">`,
    `<p class="verdict-word">${verdictWord(report)}</p>`,
    `<p>${sentence}</p>`,
    '</section>',
  ].join('\n');
}

function renderFacts(report: ValidationReport): string {
  const { submission } = report;
  const version =
    report.submittedVersion === '2.0' ? '2.0 (read as v2.0 and uplifted to v2.1)' : report.submittedVersion;
  const rows: Array<[string, string]> = [
    ['File', escapeHtml(submission.file)],
    ['SHA-256', submission.sha256 ? `<span class="mono sha">${escapeHtml(submission.sha256)}</span>` : NOT_GIVEN],
    ['Provider', orNotGiven(submission.provider)],
    ['Reporting period', reportingPeriod(submission.reportingPeriodStart, submission.reportingPeriodEnd)],
    ['Received', orNotGiven(submission.received)],
    ['Data set version', escapeHtml(version)],
  ];
  return [
    '<h2 id="submission">Submission</h2>',
    '<table class="facts" aria-labelledby="submission">',
    '<tbody>',
    ...rows.map(([label, html]) => `<tr><th scope="row">${label}</th><td>${html}</td></tr>`),
    '</tbody>',
    '</table>',
  ].join('\n');
}

function reportingPeriod(start: string | null, end: string | null): string {
  if (!start && !end) return NOT_GIVEN;
  return `${orNotGiven(start)} – ${orNotGiven(end)}`;
}

function renderTableCounts(tables: readonly ReportTable[]): string {
  const rows = tables.map(
    (t) =>
      `<tr${t.rejected > 0 ? ' class="attention"' : ''}><th scope="row">${escapeHtml(t.table)}</th>` +
      `${numberCell(t.received)}${numberCell(t.accepted)}${numberCell(t.rejected)}</tr>`,
  );
  return [
    '<h2 id="tables">Records per table</h2>',
    '<p>Tables with rejected records are highlighted.</p>',
    '<table aria-labelledby="tables">',
    `<thead><tr><th scope="col">Table</th>${numberHeaders(['Received', 'Accepted', 'Rejected'])}</tr></thead>`,
    '<tbody>',
    ...rows,
    '</tbody>',
    '</table>',
  ].join('\n');
}

function renderFindings(findings: readonly ReportFinding[], exampleLimit: number): string {
  const parts = ['<h2 id="findings">Findings</h2>'];
  if (findings.length === 0) {
    parts.push('<p>No problems found.</p>');
    return parts.join('\n');
  }
  parts.push(
    `<p class="note">Each finding shows at most ${escapeHtml(formatCount(exampleLimit))} example rows; ` +
      'the row counts are complete, and findings.csv lists every row.</p>',
  );
  for (const [severity, heading] of SEVERITY_HEADINGS) {
    const group = findings.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    parts.push(`<h3>${escapeHtml(heading)}</h3>`, ...group.map(renderFinding));
  }
  return parts.join('\n');
}

function renderFinding(finding: ReportFinding): string {
  const parts = [
    '<article class="finding">',
    `<h4><code>${escapeHtml(finding.code)}</code></h4>`,
    `<p class="finding-meta">Table: <strong>${escapeHtml(finding.table)}</strong> · ` +
      `Field: <strong>${orNotGiven(finding.field)}</strong> · ` +
      `Rows: <strong>${escapeHtml(formatCount(finding.count))}</strong></p>`,
    `<p>${escapeHtml(finding.message)}</p>`,
  ];
  if (finding.examples.length > 0) {
    parts.push(renderExamples(finding.code, finding.examples));
    if (finding.examples.length < finding.count) {
      parts.push(
        `<p class="note">Showing the first ${escapeHtml(formatCount(finding.examples.length))} of ` +
          `${escapeHtml(formatCount(finding.count))} rows; findings.csv lists them all.</p>`,
      );
    }
  } else if (finding.count > 0) {
    parts.push(`<p class="note">No example rows shown; findings.csv lists them all.</p>`);
  }
  parts.push('</article>');
  return parts.join('\n');
}

function renderExamples(code: string, examples: readonly ReportExample[]): string {
  const rows = examples.map(
    (e) =>
      `<tr>${e.row === null ? `<td>${NOT_GIVEN}</td>` : numberCell(e.row)}` +
      `<td class="value">${e.key === '' ? NOT_GIVEN : escapeHtml(e.key)}</td>` +
      `<td class="value mono">${exampleValue(e.value)}</td></tr>`,
  );
  return [
    '<table class="examples">',
    `<caption class="visually-hidden">Example rows for ${escapeHtml(code)}</caption>`,
    `<thead><tr>${numberHeaders(['Row'])}<th scope="col">Key</th><th scope="col">Value</th></tr></thead>`,
    '<tbody>',
    ...rows,
    '</tbody>',
    '</table>',
  ].join('\n');
}

/** Null (no value) and '' (an empty value) would both render as nothing, so they are spelled out. */
function exampleValue(value: string | null): string {
  if (value === null) return NOT_GIVEN;
  if (value === '') return '<em>(empty)</em>';
  return escapeHtml(value);
}

function renderNotRun(notRun: readonly ReportNotRun[]): string {
  if (notRun.length === 0) return '';
  const rows = notRun.map(
    (r) =>
      `<tr><th scope="row"><code>${escapeHtml(r.code)}</code></th><td>${escapeHtml(r.table)}</td>` +
      `<td>${escapeHtml(r.fields.join(', '))}</td><td>${escapeHtml(r.reason)}</td></tr>`,
  );
  return [
    '<h2 id="not-run">Rules not run</h2>',
    '<p>These rules could not be run, so the data they cover was <strong>not checked</strong> — ' +
      'they have not passed. Supply what the reason names and validate again to check them.</p>',
    '<table aria-labelledby="not-run">',
    '<thead><tr><th scope="col">Rule</th><th scope="col">Table</th><th scope="col">Fields</th><th scope="col">Reason</th></tr></thead>',
    '<tbody>',
    ...rows,
    '</tbody>',
    '</table>',
  ].join('\n');
}

function renderDataQuality(dataQuality: readonly ReportDataQuality[]): string {
  const parts = [
    '<h2 id="data-quality">Data quality</h2>',
    '<p>How many values of each field were valid, a default code, invalid or missing. ' +
      'Valid % is valid ÷ denominator. Fields with invalid values are highlighted.</p>',
  ];
  if (dataQuality.length === 0) {
    parts.push('<p>No data quality measures.</p>');
    return parts.join('\n');
  }
  const rows = dataQuality.map(
    (d) =>
      `<tr${d.invalid > 0 ? ' class="attention"' : ''}><td>${escapeHtml(d.table)}</td>` +
      `<th scope="row">${escapeHtml(d.field)}</th>` +
      `${numberCell(d.valid)}${numberCell(d.default)}${numberCell(d.invalid)}${numberCell(d.missing)}` +
      `${numberCell(d.denominator)}<td class="num">${validPercent(d)}</td></tr>`,
  );
  parts.push(
    '<table class="compact" aria-labelledby="data-quality">',
    '<thead><tr><th scope="col">Table</th><th scope="col">Field</th>' +
      `${numberHeaders(['Valid', 'Default', 'Invalid', 'Missing', 'Denominator', 'Valid %'])}</tr></thead>`,
    '<tbody>',
    ...rows,
    '</tbody>',
    '</table>',
  );
  return parts.join('\n');
}

function validPercent(d: ReportDataQuality): string {
  if (d.denominator === 0) return NOT_GIVEN;
  return ((d.valid / d.denominator) * 100).toFixed(1);
}

function numberHeaders(labels: readonly string[]): string {
  return labels.map((label) => `<th scope="col" class="num">${escapeHtml(label)}</th>`).join('');
}

function numberCell(n: number): string {
  return `<td class="num">${escapeHtml(formatCount(n))}</td>`;
}

function formatCount(n: number): string {
  return n.toLocaleString('en-GB');
}

function orNotGiven(text: string | null): string {
  return text ? escapeHtml(text) : NOT_GIVEN;
}

function plural(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, v) => total + v, 0);
}
