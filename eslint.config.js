// Lint: type-aware rules everywhere, and the layers held by import rules (docs/ARCHITECTURE.md):
// the core imports nothing outside the core; a cloud's folder imports only the core, the provider contract and what the
// clouds share; nothing but the demo, the CLI's `sim`/`demo` commands and the simulators themselves imports a
// simulator.
// Formatting is Prettier's (`npm run lint` runs `prettier --check` after ESLint).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const simulatorModules = ['**/sim/*', '**/simulation.js', '**/simulator.js', '**/sim-world.js', '**/sim-cli.js'];
const noSimulators = {
  group: simulatorModules,
  message: 'Only tests, the demo and the simulators use a simulator; production code reaches clouds through adapters.',
};

const cloudPatterns = [
  {
    regex: String.raw`^\.\./\.\./(?!core/)`,
    message: 'A cloud folder imports only src/core and src/clouds/{provider,kit,sim}.',
  },
  { regex: String.raw`^\.\./(?!sim/|\.\./)[^/]+/`, message: 'A cloud folder does not import another cloud.' },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'dist/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Prettier wraps code at 120; this catches what it cannot wrap (strings, comments)
      'max-len': ['error', { code: 120, tabWidth: 2 }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'error',
      // node:test's test() returns a promise the runner itself awaits
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it'] }] },
      ],
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Fastify handlers and plugins are async by contract, with or without an await inside
      '@typescript-eslint/require-await': 'off',
      // React's event handlers may be async; their promise is not the caller's to await
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      // Errors from SDKs and fetch are `unknown` by nature; narrowing them is the code's job, not a cast's.
      '@typescript-eslint/only-throw-error': 'error',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    // The pure core: no I/O, nothing outside the core.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'The core does no I/O.' },
            { group: ['../*'], message: 'The core imports nothing outside src/core.' },
          ],
        },
      ],
    },
  },
  {
    // A cloud is a folder: it sees the core, the provider contract and what the clouds share — not the rest of
    // Peerlink, and not another cloud. Its simulator side (sim-*, simulat*, customer.ts) may use the shared simulator.
    files: ['src/clouds/*/**/*.ts'],
    ignores: ['src/clouds/sim/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: cloudPatterns }] },
  },
  {
    files: ['src/clouds/*/**/*.ts'],
    ignores: ['src/clouds/sim/**', 'src/clouds/*/sim-*.ts', 'src/clouds/*/simulat*.ts', 'src/clouds/*/customer.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...cloudPatterns,
            { ...noSimulators, group: ['../sim/*', './sim-*', './simulat*', './customer.js'] },
          ],
        },
      ],
    },
  },
  {
    // Everything else in src: no simulator, except the demo and the CLI commands that start one.
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    ignores: ['src/clouds/**', 'src/demo/**', 'src/cli/sim.ts', 'src/cli/demo.ts', 'src/core/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noSimulators] }] },
  },
);
