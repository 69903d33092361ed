// docs/rules.md: the rule catalogue for people, generated from the rules themselves.
import { RULES } from './index.js';
import { kindOf } from '../types.js';

const cell = (s: string): string => s.replace(/\|/g, '\\|');
const SEVERITY = { reject_file: 'reject file', reject_group: 'reject group', reject_record: 'reject record', warning: 'warning' } as const;

export function renderRulesMarkdown(): string {
  const out: string[] = [];
  const nhs = RULES.filter((r) => r.origin === 'nhs');
  const ours = RULES.filter((r) => r.origin === 'ours');
  out.push('# Validation rule catalogue');
  out.push('');
  out.push('<!-- Generated from src/validation/rules/ by `npm run docs`. Do not edit. -->');
  out.push('');
  out.push(
    `${RULES.length} rules: the ${nhs.length} codes of the NHS Digital IAPT v2.0 rule set with their NHS ids, severities and meanings, ` +
      `and ${ours.length} of ours (marked **ours**): rules for the v2.1 additions in the NHS code pattern, and the intake findings IDSFMTnn. ` +
      'Severities: **reject file** rejects the whole submission; **reject group** rejects the record and everything that depends on it; ' +
      '**reject record** rejects the row; **warning** keeps it. How the rules run is in [validation.md](validation.md).',
  );
  out.push('');
  out.push('| Code | Origin | Severity | Table | Field(s) | Kind | Versions | Fails when |');
  out.push('|---|---|---|---|---|---|---|---|');
  for (const r of RULES) {
    const versions = r.versions ? r.versions.join(', ') : '2.0, 2.1';
    const needs = r.requires?.length ? ` Needs ${r.requires.map((q) => `--${q}`).join(', ')}; reported as not run without it.` : '';
    out.push(`| ${r.code} | ${r.origin === 'ours' ? '**ours**' : 'NHS'} | ${SEVERITY[r.severity]} | ${r.table} | ${r.fields.join(', ')} | ${kindOf(r)} | ${versions} | ${cell(r.message + needs)} |`);
  }
  out.push('');
  return out.join('\n');
}
