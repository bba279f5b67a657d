// Three tiers by suffix (STYLE.md §10): *.spec.ts pure and fast, *.int-spec.ts one
// service against real Kafka/PostgreSQL/TimescaleDB/Redis, *.e2e-spec.ts the running stack.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];
const moduleNameMapper = {
  '^@linewatch/embedded-db$': '<rootDir>/infra/embedded-db/src',
  '^@linewatch/local-kafka$': '<rootDir>/infra/kafka/src',
  '^@linewatch/(.*)$': '<rootDir>/libs/$1/src',
};
const common = {
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper,
  testEnvironment: 'node',
  // apps/api/dashboard is browser code (Vite, its own tsconfig) with no jest tests of its own; the
  // browser test is test/dashboard.e2e-spec.ts.
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/dist-bench/', '<rootDir>/dist-faults/', '<rootDir>/data/', '<rootDir>/apps/api/dashboard/', '<rootDir>/test-artifacts/'],
};
module.exports = {
  reporters: ['default', '<rootDir>/test/summary.reporter.js'],
  projects: [
    // Unit tests are CPU-bound (property tests run hundreds of cases: the quiet-hours oracle steps
    // minute by minute through 36 hours, 1.7 s alone): on a machine loaded 6x they passed 5 s, jest's
    // default, and failed as timeouts that said nothing about the code. How long they take is not
    // what they test (speed is measured in `npm run bench`).
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,infra,scripts}/**/*.spec.ts'], testTimeout: 60_000 },
    {
      ...common,
      displayName: 'int',
      testMatch: ['<rootDir>/{apps,libs,infra}/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/libs/testing/src/jest-timeouts.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/libs/testing/src/jest-timeouts.ts'],
    },
  ],
};
