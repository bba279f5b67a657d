#!/usr/bin/env node
'use strict';
/*
 * `linewatch` (`npx linewatch …`, `npm run cli -- …`): runs the built command line,
 * dist/scripts/cli.js, compiling first only when a TypeScript source of the build is newer than
 * its output (or has none). It compiles TypeScript alone (tsc is incremental) and never runs Vite:
 * dist/dashboard is what a running api serves, and the command line does not use it.
 *
 * Plain CommonJS, not TypeScript: it must run before anything is built. The sources it watches
 * mirror tsconfig.build.json's include/exclude (kept in step by scripts/linewatch-launcher.spec.ts).
 */
const { spawnSync } = require('node:child_process');
const { readdirSync, statSync, utimesSync } = require('node:fs');
const { join, sep } = require('node:path');

const ROOT = join(__dirname, '..', '..');
const DIST = join(ROOT, 'dist');
const SOURCE_DIRS = ['apps', 'libs', 'infra', 'scripts'];
const SKIPPED_DIRS = new Set(['node_modules', join('apps', 'api', 'dashboard'), join('libs', 'testing')]);
const TEST_FILE = /\.(spec|int-spec|e2e-spec)\.ts$/;

/** The build's TypeScript sources, relative to the root. */
function buildSources(root = ROOT) {
  const found = [];
  const walk = (dir) => {
    let entries;
    try {
      entries = readdirSync(join(root, dir), { withFileTypes: true });
    } catch {
      return; // a source folder this checkout does not have
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(path) && entry.name !== 'node_modules' && !entry.name.startsWith('.')) walk(path);
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') && !TEST_FILE.test(entry.name)) {
        found.push(path);
      }
    }
  };
  for (const dir of SOURCE_DIRS) walk(dir);
  return found.sort();
}

const mtime = (path) => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
};

/** Sources whose compiled file (dist/<path>.js) is missing or older than they are. */
function staleSources(root = ROOT) {
  return buildSources(root).filter((source) => {
    const output = mtime(join(root, 'dist', source.replace(/\.ts$/, '.js')));
    return output < 0 || mtime(join(root, source)) > output;
  });
}

function run(bin, args) {
  const result = spawnSync(process.execPath, [require.resolve(bin, { paths: [ROOT] }), ...args], { cwd: ROOT, stdio: ['ignore', 2, 2] });
  return result.status ?? 1;
}

/**
 * tsc then tsc-alias, as `npm run build` does for TypeScript; their output on stderr, so stdout
 * stays the command's. tsc keeps its own incremental state (the lint's `tsc --noEmit` rewrites the
 * one in tsconfig.json, which would make every compile here a full one), and writes nothing when
 * the sources do not type-check: the command refuses to run, and dist/ stays as it was.
 */
function compile(stale) {
  const first = stale[0].split(sep).join('/');
  process.stderr.write(
    `linewatch: ${stale.length} source(s) changed since the last build (${first}${stale.length > 1 ? ', …' : ''}): compiling TypeScript…\n`,
  );
  const tsc = run('typescript/bin/tsc', [
    '-p',
    'tsconfig.build.json',
    '--noEmitOnError',
    '--tsBuildInfoFile',
    join(DIST, '.tsbuildinfo-linewatch'),
  ]);
  if (tsc !== 0) {
    process.stderr.write('linewatch: TypeScript errors (above): nothing compiled, not running\n');
    process.exit(1);
  }
  if (run('tsc-alias/dist/bin/index.js', ['-p', 'tsconfig.build.json']) !== 0) {
    process.stderr.write('linewatch: the build failed (above); not running it\n');
    process.exit(1);
  }
  // tsc rewrites only outputs whose text changed: mark the others built too, or a touched but
  // unchanged source would be compiled again on every call.
  const now = new Date();
  for (const source of stale) {
    try {
      utimesSync(join(ROOT, 'dist', source.replace(/\.ts$/, '.js')), now, now);
    } catch {
      // no output for it (nothing to run)
    }
  }
}

if (require.main === module) {
  // Node 22.1 and later keep V8's compiled code of the CLI's modules between runs; Node 20 has no such cache.
  require('node:module').enableCompileCache?.();
  const stale = staleSources();
  if (stale.length > 0) compile(stale);
  require(join(DIST, 'scripts', 'cli.js'));
}

module.exports = { buildSources, staleSources };
