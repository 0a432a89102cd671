// ESLint: typescript-eslint's `recommended` rules, without the type-aware set (that one tripled
// `npm run lint` here, ~7 s → ~21 s, and mostly flagged reads of untyped JSON; `tsc` runs strict in `npm test`).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/', 'data/', '.nx/', 'tmp/', '**/.scratch/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs'], languageOptions: { globals: globals.node } },
  // CommonJS: Nx require()s the plugin's hooks.
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' }, rules: { '@typescript-eslint/no-require-imports': 'off' } },
  {
    rules: {
      // `_`-prefixed names are unused on purpose (a callback's leading arguments, one signature shared by a dispatch table).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // The DSP code writes paired updates as one statement, `(re[k] = a), (im[k] = b)`: a comma
      // sequence, which this rule always flags, with no option to allow it.
      '@typescript-eslint/no-unused-expressions': 'off',
    },
  },
  {
    // Tests probe JSON records and Vega specs whose shape the test itself asserts.
    files: ['**/test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
