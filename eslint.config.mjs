// Lint rules that carry the architecture (STYLE.md): config is read from the environment only at
// the edges, no forwardRef, named exports only, no focused tests. Kept syntax-only (no type
// information) so it stays fast; `tsc` does the type checking.
import { defineConfig, globalIgnores } from 'eslint/config';
import jest from 'eslint-plugin-jest';
import tseslint from 'typescript-eslint';

const TS_FILES = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];
const TEST_FILES = ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'];

// Only process edges read the environment: each app's main.ts hands `process.env` to its
// `<app>.config.ts`, which parses it once through libs/config (STYLE.md §6).
const ENV_ALLOWED = ['apps/*/src/main.ts', 'scripts/**', 'libs/testing/**', 'test/**', 'infra/**', 'bench/**', 'faults/**'];
// Tools that require a default export: root-level tool configs (jest.config.ts, eslint.config.mjs)
// and jest's globalSetup/globalTeardown modules. Both run in the tool's process, not in an app, so
// they may also read the environment. App `<app>.config.ts` files are not tool configs and keep
// named exports. The dashboard's Vite config (apps/api/dashboard) is one too.
const TOOL_ENTRY_FILES = ['*.config.*', 'libs/testing/src/global-*.ts', 'apps/api/dashboard/vite.config.mts'];

const ENV_MESSAGE =
  'Read the environment only in apps/*/src/main.ts (pass it to the app config) or in scripts/, infra/, test/, libs/testing/.';
const DEFAULT_EXPORT_MESSAGE = 'Use named exports (STYLE.md §11).';
const FORWARD_REF_MESSAGE = 'forwardRef hides a dependency cycle; restructure the modules instead.';

const envProperties = [{ object: 'process', property: 'env', message: ENV_MESSAGE }];
// no-restricted-properties already covers `process['env']` and `const { env } = process`.
const envSyntax = [
  { selector: "MemberExpression[object.property.name='process'][property.name='env']", message: ENV_MESSAGE },
  { selector: "ImportDeclaration[source.value=/^(node:)?process$/] > ImportSpecifier[imported.name='env']", message: ENV_MESSAGE },
];
const forwardRefProperties = [{ property: 'forwardRef', message: FORWARD_REF_MESSAGE }];
const forwardRefSyntax = [
  { selector: "ImportSpecifier[imported.name='forwardRef']", message: FORWARD_REF_MESSAGE },
  { selector: "CallExpression[callee.name='forwardRef']", message: FORWARD_REF_MESSAGE },
];
const defaultExportSyntax = [
  { selector: 'ExportDefaultDeclaration', message: DEFAULT_EXPORT_MESSAGE },
  { selector: "ExportSpecifier[exported.name='default']", message: DEFAULT_EXPORT_MESSAGE },
  { selector: 'TSExportAssignment', message: DEFAULT_EXPORT_MESSAGE },
];

// Flat config replaces (does not merge) a rule's options when a later block matches, so each
// exception block restates the restrictions that still apply to it.
const restrict = ({ env, defaultExport }) => ({
  'no-restricted-properties': ['error', ...forwardRefProperties, ...(env ? envProperties : [])],
  'no-restricted-syntax': ['error', ...forwardRefSyntax, ...(env ? envSyntax : []), ...(defaultExport ? defaultExportSyntax : [])],
});

export default defineConfig(
  globalIgnores(['dist/', 'node_modules/', 'data/', 'coverage/', 'infra/kafka/.cache/', 'infra/kafka/target/', '.ci/', 'dist-bench/', 'dist-faults/', 'bench-results/', 'fault-results/']),

  { name: 'linewatch/typescript-files', files: TS_FILES },
  tseslint.configs.recommended,
  {
    name: 'linewatch/base',
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      ...restrict({ env: true, defaultExport: true }),
    },
  },
  {
    name: 'linewatch/commonjs-files',
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },

  { name: 'linewatch/env-allowed', files: ENV_ALLOWED, rules: restrict({ env: false, defaultExport: true }) },
  { name: 'linewatch/tool-entry-files', files: TOOL_ENTRY_FILES, rules: restrict({ env: false, defaultExport: false }) },

  {
    ...jest.configs['flat/recommended'],
    name: 'linewatch/tests',
    files: TEST_FILES,
    rules: {
      ...jest.configs['flat/recommended'].rules,
      'jest/no-focused-tests': 'error',
    },
  },
);
