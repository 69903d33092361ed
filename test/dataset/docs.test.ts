import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TABLES } from '../../src/dataset/index.js';
import { renderMarkdown } from '../../src/dataset/render.js';
import { renderRulesMarkdown } from '../../src/validation/rules/render.js';

describe('docs/dataset.md', () => {
  it('is the current rendering of the spec (run `npm run docs` when this fails)', () => {
    expect(readFileSync(new URL('../../docs/dataset.md', import.meta.url), 'utf8')).toBe(renderMarkdown());
  });

  it('lists every table and every item', () => {
    const md = renderMarkdown();
    for (const t of TABLES) {
      expect(md).toContain(`## ${t.name}`);
      for (const i of t.items) expect(md).toContain(`| ${i.name} | ${i.uid} |`);
    }
  });

  it('docs/rules.md is the current rule catalogue (run `npm run docs` when this fails)', () => {
    expect(readFileSync(new URL('../../docs/rules.md', import.meta.url), 'utf8')).toBe(renderRulesMarkdown());
  });
});
