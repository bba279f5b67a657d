import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The checkout's root, from sources (scripts/) or from the build (dist/scripts/). */
export function repoRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'infra'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no checkout found above ${from}`);
  }
}

/** The local stack's data folder: LINEWATCH_DATA_DIR, else data/ in the checkout. */
export function dataDirectory(): string {
  return process.env.LINEWATCH_DATA_DIR ?? join(repoRoot(), 'data');
}
