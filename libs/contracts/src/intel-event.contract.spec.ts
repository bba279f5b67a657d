/**
 * The published contract: the example files in libs/contracts/examples/ and the JSON Schema files
 * in libs/contracts/schemas/ say what the service does, and cannot drift from it.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import {
  INTEL_EVENT_TYPES,
  LINE_LINK_TYPES,
  UNION_SCHEMA_FILE,
  contractJsonSchemas,
  STATE_CHANGE_SCHEMA_FILE,
  stateChangeV1,
  jsonSchemaFileOf,
  validateIntelEvent,
  validateIntelSubmission,
  validateLineLink,
  type IntelEventType,
  type LineLinkType,
  type ValidationContext,
} from '@linewatch/contracts';

const EXAMPLES = join(__dirname, '..', 'examples');
const SCHEMAS = join(__dirname, '..', 'schemas');
const context = { now: new Date('2026-12-01T00:00:00Z'), maxFutureSkewMs: 300_000 };

/**
 * Invalid examples whose mistake only the service can see: whether a phone number is possible
 * (libphonenumber), the clock, and reportedAt not before occurredAt. The schema accepts them.
 */
const SERVICE_ONLY = new Set([
  'line.number_changed.invalid.json',
  'line.sighting.by-number.invalid.json',
  'enforcement.seizure.by-handset.invalid.json',
  'line.identifier_attached.invalid.json',
  'envelope.future-date.invalid.json',
  'envelope.reported-before-occurred.invalid.json',
]);

interface InvalidExample {
  readonly input: unknown;
  readonly code: string;
  readonly path: string;
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

const exampleFiles = readdirSync(EXAMPLES)
  .filter((file) => file.endsWith('.json'))
  .sort();
const validFiles = exampleFiles.filter((file) => file.endsWith('.valid.json'));
const invalidFiles = exampleFiles.filter((file) => file.endsWith('.invalid.json'));
const validExample = (file: string) => readJson(join(EXAMPLES, file)) as { readonly type: IntelEventType | LineLinkType };
const invalidExample = (file: string) => readJson(join(EXAMPLES, file)) as InvalidExample;

const ALL_TYPES: readonly string[] = [...INTEL_EVENT_TYPES, ...LINE_LINK_TYPES];
const isLinkType = (type: string): type is LineLinkType => (LINE_LINK_TYPES as readonly string[]).includes(type);

/**
 * `line.sighting.valid.json` and `line.sighting.by-number.valid.json` → `line.sighting` (the longest
 * type the name starts with); envelope examples (`envelope.*`) name a case instead.
 */
function subjectOf(file: string): string {
  const stem = file.replace(/\.(valid|invalid)\.json$/, '');
  return ALL_TYPES.filter((type) => stem === type || stem.startsWith(`${type}.`)).sort((a, b) => b.length - a.length)[0] ?? stem;
}
const isType = (subject: string): boolean => ALL_TYPES.includes(subject);

/** What a client sends is checked as a submission; link decisions by their own contract. */
function validateExample(input: unknown, ctx: ValidationContext) {
  const type = (input as { type?: unknown } | null)?.type;
  return typeof type === 'string' && isLinkType(type) ? validateLineLink(input, ctx) : validateIntelSubmission(input, ctx);
}
/** Whether an example names a line by number or handset (then only the submission validator accepts it as such). */
const namesIdentifier = (input: unknown) => typeof input === 'object' && input !== null && ('line' in input || 'lines' in input);

describe('example files', () => {
  it('are each a valid or invalid example of one event type or of the envelope', () => {
    const misnamed = exampleFiles.filter(
      (file) => !/\.(valid|invalid)\.json$/.test(file) || !(isType(subjectOf(file)) || file.startsWith('envelope.')),
    );
    expect(misnamed).toEqual([]);
  });

  it.each(ALL_TYPES)('include a valid and an invalid example of %s', (type) => {
    expect(exampleFiles).toEqual(expect.arrayContaining([`${type}.valid.json`, `${type}.invalid.json`]));
    const invalidInput = invalidExample(`${type}.invalid.json`).input as { readonly type?: unknown };
    expect([validExample(`${type}.valid.json`).type, invalidInput.type]).toEqual([type, type]);
  });

  it.each(validFiles)('%s is accepted', (file) => {
    const result = validateExample(validExample(file), context);
    expect(result.ok ? 'accepted' : result).toEqual('accepted');
  });

  it.each(validFiles.filter((file) => !isLinkType(subjectOf(file))))(
    '%s is accepted as a resolved event too when it names its lines by id (every v1 event), and as UNRESOLVED_LINE otherwise',
    (file) => {
      const input = validExample(file);
      const result = validateIntelEvent(input, context);
      expect(result.ok ? 'accepted' : result.code).toEqual(namesIdentifier(input) ? 'UNRESOLVED_LINE' : 'accepted');
    },
  );

  it.each(invalidFiles)('%s is rejected with its code, naming its field first', (file) => {
    const { input, code, path } = invalidExample(file);
    const result = validateExample(input, context);
    if (result.ok) throw new Error(`${file} was accepted`);
    expect({ code: result.code, path: result.errors[0]?.path }).toEqual({ code, path });
  });

  it('name an unknown field itself, not the object holding it', () => {
    const result = validateIntelSubmission(invalidExample('envelope.unknown-field.invalid.json').input, context);
    expect(result.ok ? [] : result.errors).toEqual([{ path: 'suspectName', message: 'unknown field' }]);
  });

  it('report an impossible date as such, not as a badly formatted one', () => {
    const result = validateIntelEvent(invalidExample('envelope.impossible-date.invalid.json').input, context);
    expect(result.ok ? [] : result.errors).toEqual([{ path: 'occurredAt', message: 'impossible calendar date' }]);
  });
});

describe('JSON Schema files', () => {
  const committedFiles = readdirSync(SCHEMAS)
    .filter((file) => file.endsWith('.json'))
    .sort();
  const committed = new Map(committedFiles.map((file) => [file, readJson(join(SCHEMAS, file)) as { readonly $id: string }]));
  // strict: an unknown keyword or a type-less constraint is an error, not a silent no-op for consumers.
  // strictRequired only lints `required` against `properties` of the same object; line.assessed's
  // `then: { required: ['dormancyWindowDays'] }` names a property its enclosing body declares.
  const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
  addFormats(ajv);
  for (const schema of committed.values()) ajv.addSchema(schema);
  const validatorFor = (file: string) => {
    const validate = ajv.getSchema(`https://linewatch.local/schemas/${file}`);
    if (!validate) throw new Error(`no schema ${file}`);
    return validate;
  };

  it('are what contractJsonSchemas() produces now (run `npm run schemas` after changing the contract)', () => {
    const generated = JSON.parse(JSON.stringify(contractJsonSchemas())) as Record<string, unknown>;
    expect(committedFiles).toEqual(Object.keys(generated).sort());
    for (const [file, schema] of committed) expect({ file, schema }).toStrictEqual({ file, schema: generated[file] });
  });

  it('line.state-change.v1.json compiles and agrees with the zod schema on a change and on a broken one', () => {
    const change = {
      schema: 'line.state-change.v1',
      changeId: '0f8fad5b-d9cb-469f-a165-70867728950e',
      lineId: 'LINE-JAY',
      from: 'dormant',
      to: 'active',
      kind: 'reactivated',
      at: '2026-11-30T21:15:00Z',
      late: false,
      cause: {
        eventId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
        kind: 'reactivated',
        type: 'line.sighting',
        grading: { source: '2', intelligence: 'B', handling: 'C' },
      },
      area: 'paulton',
      areas: ['paulton'],
      referrals: 0,
      trigger: 'events',
      detectedAt: '2026-11-30T21:15:02.120Z',
    };
    const validate = validatorFor(STATE_CHANGE_SCHEMA_FILE);
    expect(stateChangeV1.safeParse(change).success).toBe(true);
    expect(validate(change) ? [] : validate.errors).toEqual([]);
    const broken = { ...change, to: 'asleep', extra: 1 };
    expect(stateChangeV1.safeParse(broken).success).toBe(false);
    expect(validate(broken)).toBe(false);
  });

  it.each([UNION_SCHEMA_FILE, ...INTEL_EVENT_TYPES.map(jsonSchemaFileOf), ...LINE_LINK_TYPES.map(jsonSchemaFileOf)])(
    '%s is valid draft 2020-12 and compiles',
    (file) => {
      const schema = committed.get(file);
      expect(schema?.$id).toBe(`https://linewatch.local/schemas/${file}`);
      expect(ajv.validateSchema(schema as object) ? [] : ajv.errors).toEqual([]);
      expect(typeof validatorFor(file)).toBe('function');
    },
  );

  it.each(validFiles)('%s matches the schema of its type and the union (link decisions: their type)', (file) => {
    const input = validExample(file);
    for (const schemaFile of isLinkType(input.type) ? [jsonSchemaFileOf(input.type)] : [jsonSchemaFileOf(input.type), UNION_SCHEMA_FILE]) {
      const validate = validatorFor(schemaFile);
      expect({ schemaFile, errors: validate(input) ? [] : validate.errors }).toEqual({ schemaFile, errors: [] });
    }
  });

  it.each(invalidFiles)('%s is rejected by the union schema (link decisions: their type) unless only the service can tell', (file) => {
    const subject = subjectOf(file);
    const validate = validatorFor(isLinkType(subject) ? jsonSchemaFileOf(subject) : UNION_SCHEMA_FILE);
    expect(validate(invalidExample(file).input)).toBe(SERVICE_ONLY.has(file));
  });
});
