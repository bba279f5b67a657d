import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The checkout: the first folder up from here with a package.json beside apps/ (this file runs
 * from libs/testing/src under jest, and from dist-bench/ or dist-faults/ when compiled there).
 */
function checkoutRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'apps'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no checkout (package.json beside apps/) above ${from}`);
  }
}

export const CHECKOUT_ROOT = checkoutRoot(__dirname);
