import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Nothing may read the team's shared folder beside the repository: a fresh clone does not have it. What the
// product or its tests need is copied in with its provenance (reference/, test/fixtures/). test/standalone.test.ts
// checks the wider rule (no path that leaves the repository); this rule catches the common slip while editing:
// any string, import source included, holding a relative path into that folder (SHARED_PATH).
const SHARED = 'Do not read the shared folder beside the repository; copy what is needed into reference/ or test/fixtures/ with its PROVENANCE.md.';
const SHARED_PATH = '(^|[^\\w.])(\\.\\.\\u002F)+shared\\u002F';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'validation-report/', 'iapt-data/', 'demo-output/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: `Literal[value=/${SHARED_PATH}/]`, message: SHARED },
        { selector: `TemplateElement[value.raw=/${SHARED_PATH}/]`, message: SHARED },
      ],
    },
  },
);
