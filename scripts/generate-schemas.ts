/**
 * `npm run schemas` — writes the intel.event.v1 and line.state-change.v1 JSON Schema files into libs/contracts/schemas/.
 * They are committed so reviewers and other systems can read the contract without our code; the
 * contract test fails when they differ from what the zod schemas produce now.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { contractJsonSchemas } from '@linewatch/contracts';
import { repoRoot } from './repo-paths';

/** .prettierrc.json's printWidth: the files are written as `prettier --write` would leave them. */
const PRINT_WIDTH = 140;

/**
 * Pretty JSON in prettier's layout (prettier itself is a devDependency, which scripts must not
 * import): objects one key a line, arrays of plain values on one line when they fit.
 */
function formatJson(value: unknown, indent = '', column = 0, after = 0): string {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const flat = `[${value.map((item) => JSON.stringify(item)).join(', ')}]`;
    const plain = value.every((item) => item === null || typeof item !== 'object');
    if (plain && column + flat.length + after <= PRINT_WIDTH) return flat;
    const items = value.map((item, i) => inner + formatJson(item, inner, inner.length, i < value.length - 1 ? 1 : 0));
    return `[\n${items.join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    const lines = entries.map(([key, item], i) => {
      const prefix = `${JSON.stringify(key)}: `;
      return inner + prefix + formatJson(item, inner, inner.length + prefix.length, i < entries.length - 1 ? 1 : 0);
    });
    return `{\n${lines.join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

const root = repoRoot();
const dir = join(root, 'libs', 'contracts', 'schemas');
const schemas = contractJsonSchemas();
mkdirSync(dir, { recursive: true });
// A schema no longer produced (a type removed or renamed) must not linger as if it were current.
for (const file of readdirSync(dir)) {
  if (file.endsWith('.json') && !(file in schemas)) rmSync(join(dir, file));
}
for (const [file, schema] of Object.entries(schemas)) {
  writeFileSync(join(dir, file), `${formatJson(schema)}\n`);
}
console.log(`wrote ${Object.keys(schemas).length} JSON Schema files to ${relative(root, dir)}/`);
