import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { buildSources, staleSources } from './bin/linewatch.cjs';

const ROOT = join(__dirname, '..');

describe('the linewatch launcher', () => {
  it('watches exactly the sources tsconfig.build.json compiles', () => {
    const file = join(ROOT, 'tsconfig.build.json');
    const config = ts.parseJsonConfigFileContent(ts.readConfigFile(file, (path) => ts.sys.readFile(path)).config, ts.sys, ROOT);
    const compiled = config.fileNames.map((name) => relative(ROOT, name)).sort();
    expect(buildSources()).toEqual(compiled);
  });

  describe('staleness', () => {
    let root: string;
    const write = (path: string, at: number) => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), '');
      utimesSync(join(root, path), at, at);
    };
    beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'linewatch-launcher-'))));
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    it('names a source newer than its output, or without one, and nothing else', () => {
      write('libs/a/src/fresh.ts', 1000);
      write('dist/libs/a/src/fresh.js', 2000);
      write('libs/a/src/changed.ts', 3000);
      write('dist/libs/a/src/changed.js', 2000);
      write('scripts/new.ts', 1000);
      write('apps/api/dashboard/src/app.ts', 9000); // built by Vite, not by the launcher
      write('libs/a/src/rules.spec.ts', 9000);
      expect(staleSources(root)).toEqual([join('libs', 'a', 'src', 'changed.ts'), join('scripts', 'new.ts')]);
    });
  });
});
