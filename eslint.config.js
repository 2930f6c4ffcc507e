// Lint rules, including the dependency arrows of ARCHITECTURE.md:
// core is pure (no storage, services, http, cli, no I/O modules); storage never reaches up;
// services never reach http or cli; http and cli never import storage repositories directly
// except the database factory and migrations; the browser app (src/web/src) imports nothing
// of the server.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';

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
  {
    ignores: [
      'node_modules/**',
      'data/**',
      'coverage/**',
      'bench/results/**',
      '.tmp/**',
      'src/web/dist/**',
      'src/web/dist.tmp-*/**',
    ],
  },
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
  // The browser app: browser globals; it talks to the server only through the API and its
  // generated types (src/web/src/api/schema.d.ts), never by importing server code, and it
  // never imports the node-side build tools of src/web/tools or node modules.
  {
    files: ['src/web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  // React's rules of hooks and effect dependencies (the recommended set of the React team).
  {
    files: ['src/web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    files: ['src/web/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // Relative paths into the server's layers or the node-side tools (src/web/src has
              // no folders of these names).
              regex: '^\\.\\.?/(.*/)?(core|services|storage|http|cli|tools)(/|$)',
              message: 'The browser app never imports server code: use the API and its types.',
            },
            {
              regex: '^(node:|fastify|kysely|pg$|@electric-sql/|vite$)',
              message: 'The browser app imports no server or node modules.',
            },
          ],
        },
      ],
    },
  },
);
