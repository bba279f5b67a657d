/**
 * Jest's global setup and teardown run outside the test sandbox, where
 * moduleNameMapper does not apply: resolve the `@linewatch/*` aliases from
 * tsconfig.json instead.
 */
import { join } from 'node:path';
import { loadConfig, register } from 'tsconfig-paths';

const loaded = loadConfig(join(__dirname, '..', '..', '..'));
if (loaded.resultType === 'success') register({ baseUrl: loaded.absoluteBaseUrl, paths: loaded.paths });
