import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { boundariesPlugin } from './eslint.boundaries.js';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.data/**', 'apps/web/dist/**', 'apps/web/src/graphql/generated/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-unsafe-function-type': 'off',
      'no-restricted-syntax': [
        'error',
        {
          selector: 'CallExpression[callee.object.name=/^(it|describe|test)$/][callee.property.name=/^(only|skip)$/]',
          message: 'No focused or skipped tests.',
        },
      ],
    },
  },
  {
    files: ['libs/**/*.ts'],
    ignores: ['libs/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@nestjs/graphql', '@nestjs/apollo', '**/apps/**'], message: 'Libraries hold the domain: no GraphQL, no app code.' },
          ],
        },
      ],
    },
  },
  {
    files: [
      'libs/**/*.ts',
      'apps/api/**/*.ts',
      'apps/worker/**/*.ts',
      'apps/cli/**/*.ts',
      'migrations/**/*.ts',
      'test/**/*.ts',
      'bench/**/*.ts',
    ],
    plugins: { sharepool: boundariesPlugin },
    rules: { 'sharepool/lib-boundaries': 'error' },
  },
  { files: ['**/*.spec.ts', 'test/**/*.ts', 'bench/**/*.ts'], languageOptions: { globals: { ...globals.jest } } },
  // The web client: the Rules of React (hooks, and the compiler's rules: no refs read or written during render…).
  {
    files: ['apps/web/src/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
    rules: { ...reactHooks.configs.flat.recommended.rules, 'react-hooks/exhaustive-deps': 'error' },
  },
);
