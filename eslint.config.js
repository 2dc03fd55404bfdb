// typescript-eslint's recommended rules; formatting is Prettier's (eslint-config-prettier turns off
// the rules that would fight it). `npm run lint` runs both.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'cdk.out/', '.venv/', '.localstack/', 'node_modules/', 'test/fixtures/', 'vendor/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { process: 'readonly', console: 'readonly' } },
    rules: {
      // `_name` marks a parameter an interface requires but this implementation does not read.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  prettier,
  // After `prettier`, which turns max-len off: Prettier wraps code at 120 columns but leaves long strings,
  // comments and regexes alone, so this rule holds them to the same width.
  { rules: { 'max-len': ['error', { code: 120, ignoreUrls: true }] } },
);
