// Lint rules, including the dependency arrows of ARCHITECTURE.md:
// core is pure (no storage, services, http, cli, no I/O modules); storage never reaches up;
// services never reach http or cli; http and cli never import storage repositories directly
// except the database factory and migrations.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const layer = (files, forbidden, message) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      { patterns: forbidden.map((group) => ({ group: [group], message })) },
    ],
  },
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'coverage/**', 'bench/results/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  layer(
    ['src/core/**/*.ts'],
    [
      '**/storage/**',
      '**/services/**',
      '**/http/**',
      '**/cli/**',
      'node:fs*',
      'node:net',
      'node:http',
      'pg',
      '@electric-sql/*',
      'kysely',
      'fastify',
    ],
    'src/core is pure: no I/O, no storage, no outer layers.',
  ),
  layer(
    ['src/storage/**/*.ts'],
    ['**/services/**', '**/http/**', '**/cli/**'],
    'storage must not depend on outer layers.',
  ),
  layer(
    ['src/services/**/*.ts'],
    ['**/http/**', '**/cli/**'],
    'services must not depend on http or cli.',
  ),
  layer(
    ['src/http/**/*.ts'],
    ['**/cli/**', '**/storage/*-repository*'],
    'http calls services, never repositories or the cli.',
  ),
  layer(
    ['src/cli/**/*.ts'],
    ['**/http/routes/**', '**/storage/*-repository*'],
    'cli calls services, never repositories.',
  ),
);
