/**
 * The intel.event.v1 contract as JSON Schema (draft 2020-12), for systems that do not run our
 * TypeScript: one schema per event type plus the whole union. Generated from the zod schemas in
 * `intel-event.v1.ts`, never edited by hand (`npm run schemas` writes `libs/contracts/schemas/`).
 *
 * The schemas describe what a client SENDS (zod's input shape): the service's transforms — E.164
 * normalisation of phone numbers, 5x5x5 → 3x5x2 mapping, defaults — are applied after this shape
 * is accepted, and the checks that need the clock or configuration (future dates, configured
 * areas) are the service's. A document valid here can still be rejected by the service; one
 * invalid here is rejected by the service too (both come from the same zod schemas).
 */
import { z } from 'zod';
import {
  INTEL_EVENT_SCHEMA,
  INTEL_EVENT_TYPES,
  SINGLE_LINE_SUBMISSIONS,
  areaCode,
  enforcementRaidSubmission,
  grading,
  instant,
  intelEventSubmissionV1,
  lineAssessed,
  phoneNumber,
  type IntelEventType,
} from './intel-event.v1';
import { checkedImei, lineRef } from './line-identifier.v1';
import { lineIdentifierAttached, lineLinkV1, type LineLinkType } from './line-link.v1';
import { STATE_CHANGE_SCHEMA, stateChangeV1 } from './state-change.v1';
import { WEBHOOK_BODY_SCHEMA, alertWebhookBodyV2, companionsWebhookBodyV2, webhookBodyV2 } from './alert-webhook.v2';
import { teamDigestJsonSchemas } from './team-digest.json-schema';
import { auditCheckpointJsonSchemas } from './audit-checkpoint.v1';

export const JSON_SCHEMA_BASE_URI = 'https://linewatch.local/schemas/';

/** The file (and `$id`) of the union schema, and of each type's schema. */
export const UNION_SCHEMA_FILE = `${INTEL_EVENT_SCHEMA}.json`;
export function jsonSchemaFileOf(type: IntelEventType | LineLinkType): string {
  return `${INTEL_EVENT_SCHEMA}.${type}.json`;
}

const NAMED_BY = ' Names its line by lineId, or by line ({ "msisdn" } or { "imei" }) instead.';
const TYPE_DESCRIPTIONS: Record<IntelEventType | LineLinkType, string> = {
  'line.sighting': `Evidence that a line is operating (bulk marketing text, test purchase, call data, intelligence report).${NAMED_BY}`,
  'line.number_changed': `The line operates on a new number or handset; counts as a sighting.${NAMED_BY}`,
  'enforcement.raid': 'A warrant executed at a place; names every line it concerns, by id in lineIds and/or by number or handset in lines.',
  'enforcement.arrest': `The arrest of a line's holder, runner or another person, without names.${NAMED_BY}`,
  'enforcement.seizure': `Items seized (handset, drugs, cash, weapon) linked to a line.${NAMED_BY}`,
  'line.deactivated': `The number or SIM was cut off, e.g. by a court order or the network operator.${NAMED_BY}`,
  'line.assessed': `An analyst decision: closure Type 1 or 2, reopen, or a dormancy window override.${NAMED_BY}`,
  'safeguarding.referral': 'A child or vulnerable adult referred for exploitation or cuckooing; no names in the event.',
  'line.merged':
    "An analyst's decision: line lineId merged into line body.into (which survives). Published by LineWatch's api only; POST /v1/events refuses it.",
  'line.unmerged':
    "An analyst's decision: undoes the merge body.mergeEventId of line lineId exactly. Published by LineWatch's api only; POST /v1/events refuses it.",
  'line.identifier_attached':
    "An analyst's decision: a number or handset attached to line lineId from occurredAt on. Published by LineWatch's api only; POST /v1/events refuses it.",
};

const DESCRIPTIONS = new Map<z.core.$ZodType, string>([
  [
    phoneNumber,
    'A phone number, E.164 (+447700900123) or UK national format (07700 900123). The service checks that it is a possible number and normalises it to E.164.',
  ],
  [
    grading,
    '3x5x2 grading (system may be left out). An older 5x5x5 grading is accepted with "system": "5x5x5"; the service maps it to 3x5x2 and keeps the original.',
  ],
  [
    instant,
    'ISO-8601 date-time with an offset (Z or ±hh:mm), a real calendar date. The service also rejects dates later than now plus the allowed clock skew.',
  ],
  [areaCode, 'An area code; the service checks it against the configured areas.'],
  [
    checkedImei,
    'An IMEI: 15 digits (spaces or hyphens between them allowed) whose last digit is a valid Luhn check digit; the service checks it and keeps the digits.',
  ],
  [
    lineRef,
    'A line named by its number (msisdn) or its handset (imei), exactly one: the service attributes the event to the line that held it at occurredAt (see docs/events.md, "Naming a line by number or handset").',
  ],
]);

const SINGLE_LINE_SUBMISSION_SET = new Set<z.core.$ZodType>(SINGLE_LINE_SUBMISSIONS);
const EXACTLY_ONE_IDENTIFIER = [{ required: ['msisdn'] }, { required: ['imei'] }];

/**
 * The schema a property's input is checked against. A preprocess is a pipe whose input is a
 * transform: what the client sends is checked by its output side. zod looks through only one
 * such pipe when it decides `required`, so `grading` (preprocess then transform) came out
 * optional although the service rejects an event without it (MISSING_GRADING).
 */
function inputSide(schema: z.core.$ZodType): z.core.$ZodType {
  const def = schema._zod.def;
  if (def.type !== 'pipe') return schema;
  const pipe = def as z.core.$ZodPipeDef;
  return inputSide(pipe.in._zod.def.type === 'transform' ? pipe.out : pipe.in);
}

type Json = Record<string, unknown>;

function override({ zodSchema, jsonSchema }: { zodSchema: z.core.$ZodType; jsonSchema: Json }): void {
  const def = zodSchema._zod.def;
  if (def.type === 'object') {
    const shape = (def as z.core.$ZodObjectDef).shape;
    const required = Object.keys(shape).filter((key) => inputSide(shape[key])._zod.optin === undefined);
    if (required.length > 0) jsonSchema.required = required;
  }
  if (zodSchema === grading) {
    // The preprocess fills in "system": "3x5x2" when it is left out, so it is optional on that branch only.
    for (const branch of (jsonSchema.oneOf ?? []) as Json[]) {
      const system = (branch.properties as Record<string, Json> | undefined)?.system;
      if (system?.const === '3x5x2') branch.required = (branch.required as string[]).filter((key) => key !== 'system');
    }
  }
  if (zodSchema === lineAssessed.shape.body) {
    // A zod refinement has no JSON Schema form; this rule has one, so state it (kept in step by the contract test).
    jsonSchema.if = { properties: { decision: { const: 'dormancy_override' } }, required: ['decision'] };
    jsonSchema.then = { required: ['dormancyWindowDays'] };
  }
  // zod refinements have no JSON Schema form; these rules have one, so state them (the contract test checks the examples against both).
  if (SINGLE_LINE_SUBMISSION_SET.has(zodSchema)) jsonSchema.anyOf = [{ required: ['lineId'] }, { required: ['line'] }];
  if (zodSchema === enforcementRaidSubmission) {
    jsonSchema.anyOf = [
      { required: ['lineIds'], properties: { lineIds: { type: 'array', minItems: 1 } } },
      { required: ['lines'], properties: { lines: { type: 'array', minItems: 1 } } },
    ];
  }
  if (zodSchema === lineRef) jsonSchema.oneOf = EXACTLY_ONE_IDENTIFIER;
  if (zodSchema === lineIdentifierAttached.shape.body) jsonSchema.oneOf = EXACTLY_ONE_IDENTIFIER;
  const description = DESCRIPTIONS.get(zodSchema);
  if (description !== undefined) jsonSchema.description = description;
}

function toJsonSchema(schema: z.ZodType, file: string, title: string, description: string, source = 'intel-event.v1.ts'): object {
  // unrepresentable 'throw': a future field with no JSON Schema form must fail generation, not widen to {}.
  const generated = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'throw', override }) as Json;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: `${JSON_SCHEMA_BASE_URI}${file}`,
    title,
    description,
    $comment: `Generated from libs/contracts/src/${source} by scripts/generate-schemas.ts (npm run schemas); do not edit.`,
    ...rest,
  };
}

/**
 * Every schema file of the contract, by file name: the union first, then one per type (what a
 * client submits: lines by id or by number/handset), then one per link decision type (the api's).
 */
export function intelEventJsonSchemas(): Record<string, object> {
  const schemas: Record<string, object> = {
    [UNION_SCHEMA_FILE]: toJsonSchema(
      intelEventSubmissionV1,
      UNION_SCHEMA_FILE,
      INTEL_EVENT_SCHEMA,
      `An intelligence event on topic intel.events.v1 (POST /v1/events), discriminated by "type": one of ${INTEL_EVENT_TYPES.join(', ')}.`,
    ),
  };
  for (const option of intelEventSubmissionV1.options) {
    const type = option.shape.type.value;
    const file = jsonSchemaFileOf(type);
    schemas[file] = toJsonSchema(option, file, `${INTEL_EVENT_SCHEMA} ${type}`, TYPE_DESCRIPTIONS[type]);
  }
  for (const option of lineLinkV1.options) {
    const type = option.shape.type.value;
    const file = jsonSchemaFileOf(type);
    schemas[file] = toJsonSchema(option, file, `${INTEL_EVENT_SCHEMA} ${type}`, TYPE_DESCRIPTIONS[type], 'line-link.v1.ts');
  }
  return schemas;
}

/** The state-change contract's schema file (what the tracker publishes on lines.state-changes.v1). */
export const STATE_CHANGE_SCHEMA_FILE = `${STATE_CHANGE_SCHEMA}.json`;

/** The webhook body schema files: every type (the union), then one per type. */
export const WEBHOOK_BODY_SCHEMA_FILE = `${WEBHOOK_BODY_SCHEMA}.json`;
export function webhookBodySchemaFileOf(type: 'alert' | 'companions'): string {
  return `${WEBHOOK_BODY_SCHEMA}.${type}.json`;
}

/** A schema of what a service WRITES (zod's output shape), for receivers of it. */
function writtenJsonSchema(schema: z.ZodType, file: string, title: string, description: string, source: string): object {
  const generated = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'output', unrepresentable: 'throw' }) as Json;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: `${JSON_SCHEMA_BASE_URI}${file}`,
    title,
    description,
    $comment: `Generated from libs/contracts/src/${source} by scripts/generate-schemas.ts (npm run schemas); do not edit.`,
    ...rest,
  };
}

/** The bodies the alerter POSTs to webhook receivers (content version 2; docs/alerts.md "Webhook bodies"). */
export function webhookBodyJsonSchemas(): Record<string, object> {
  const source = 'alert-webhook.v2.ts';
  return {
    [WEBHOOK_BODY_SCHEMA_FILE]: writtenJsonSchema(
      webhookBodyV2,
      WEBHOOK_BODY_SCHEMA_FILE,
      WEBHOOK_BODY_SCHEMA,
      'The body of an alert webhook (contentVersion 2), discriminated by "type": alert (one alert) or companions (several alerts of one team sent together). Signed: X-LineWatch-Signature over the raw body.',
      source,
    ),
    [webhookBodySchemaFileOf('alert')]: writtenJsonSchema(
      alertWebhookBodyV2,
      webhookBodySchemaFileOf('alert'),
      `${WEBHOOK_BODY_SCHEMA} alert`,
      'One alert: alerts holds it, and the version 1 top-level fields (alertId, severity, fields, acknowledgeUrl) repeat it.',
      source,
    ),
    [webhookBodySchemaFileOf('companions')]: writtenJsonSchema(
      companionsWebhookBodyV2,
      webhookBodySchemaFileOf('companions'),
      `${WEBHOOK_BODY_SCHEMA} companions`,
      'Several alerts of one team raised together, sent as one message: alerts lists each with its own id, severity, subject, text and acknowledgement link.',
      source,
    ),
  };
}

/** Every committed schema file: the intel.event.v1 ones, line.state-change.v1 and the webhook bodies. */
export function contractJsonSchemas(): Record<string, object> {
  const generated = z.toJSONSchema(stateChangeV1, { target: 'draft-2020-12', io: 'output', unrepresentable: 'throw' }) as Json;
  const { $schema, ...rest } = generated;
  return {
    ...intelEventJsonSchemas(),
    ...webhookBodyJsonSchemas(),
    [STATE_CHANGE_SCHEMA_FILE]: {
      $schema,
      $id: `${JSON_SCHEMA_BASE_URI}${STATE_CHANGE_SCHEMA_FILE}`,
      title: STATE_CHANGE_SCHEMA,
      description: "A change of a line's current state, on topic lines.state-changes.v1 (key lineId).",
      $comment: 'Generated from libs/contracts/src/state-change.v1.ts by scripts/generate-schemas.ts (npm run schemas); do not edit.',
      ...rest,
    },
    ...teamDigestJsonSchemas(JSON_SCHEMA_BASE_URI),
    ...auditCheckpointJsonSchemas(JSON_SCHEMA_BASE_URI),
  };
}
