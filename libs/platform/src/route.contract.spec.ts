import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import {
  lineEventV1,
  resolveIntelEvent,
  validateIntelEvent,
  validateIntelSubmission,
  type IntelEventV1,
} from '@linewatch/contracts';
import { z } from 'zod';
import { CodedError } from './coded.error';
import { ContractPipe, errorsOf, openApiSchemaOf, type RouteContract } from './route.contract';

const contract: RouteContract = {
  summary: 'a route',
  auth: 'bearer',
  params: z.object({ id: z.uuid() }),
  query: z.object({ limit: z.coerce.number().int().min(1).default(10), state: z.enum(['a', 'b']).optional() }).strict(),
  body: z.object({ note: z.string().max(3) }).strict(),
  bodyError: 'INVALID_SILENCE',
  responses: [{ status: 200, schema: z.object({ ok: z.boolean() }), description: 'ok' }],
  errors: ['ALERT_NOT_FOUND'],
};
const pipe = new ContractPipe(contract);
const refusal = (run: () => unknown): CodedError => {
  try {
    run();
  } catch (error) {
    return error as CodedError;
  }
  throw new Error('not refused');
};

describe('ContractPipe: the one validation pipe', () => {
  it('hands the handler the parsed query: strings coerced, defaults filled', () => {
    expect(pipe.transform({ limit: '5' }, { type: 'query' })).toEqual({ limit: 5 });
    expect(pipe.transform(undefined, { type: 'query' })).toEqual({ limit: 10 });
  });

  it('refuses each part with its code, naming every problem', () => {
    const query = refusal(() => pipe.transform({ limit: '0', extra: 'x' }, { type: 'query' }));
    expect(query).toBeInstanceOf(CodedError);
    expect(query.code).toBe('INVALID_QUERY');
    expect(query.errors.map((e) => e.path).sort()).toEqual(['(request)', 'limit']);
    const param = refusal(() => pipe.transform('not-a-uuid', { type: 'param', data: 'id' }));
    expect([param.code, param.errors[0].path]).toEqual(['INVALID_PARAMETER', 'id']);
    const body = refusal(() => pipe.transform({ note: 'too long' }, { type: 'body' }));
    expect([body.code, body.errors[0].path]).toEqual(['INVALID_SILENCE', 'note']);
  });

  it('leaves alone what the contract does not describe (the request, a custom decorator, an unvalidated body)', () => {
    expect(pipe.transform('why', { type: 'custom' })).toBe('why');
    expect(new ContractPipe({ ...contract, validateBody: false }).transform([1, 2], { type: 'body' })).toEqual([1, 2]);
  });
});

describe('the contract in the OpenAPI document', () => {
  it('lists every code the route answers with, by status: its own, its parts, the token and every route', () => {
    expect(Object.fromEntries(errorsOf(contract))).toEqual({
      400: ['INVALID_CHARACTERS', 'INVALID_PARAMETER', 'INVALID_QUERY', 'INVALID_SILENCE'],
      401: ['UNAUTHENTICATED'],
      403: ['FORBIDDEN'],
      404: ['ALERT_NOT_FOUND'],
      429: ['RATE_LIMITED'],
      500: ['INTERNAL_ERROR'],
      503: ['DEPENDENCY_UNAVAILABLE'],
    });
  });

  it('writes a nullable enum with null among its values (OpenAPI 3.0.3), and what a caller sends before transforms', () => {
    expect(openApiSchemaOf(z.enum(['a', 'b']).nullable(), 'output')).toMatchObject({ enum: ['a', 'b', null], nullable: true });
    const sent = openApiSchemaOf(z.object({ at: z.iso.datetime({ offset: true }).transform((s) => new Date(s)) }), 'input');
    expect(sent).toMatchObject({ properties: { at: { type: 'string', format: 'date-time' } }, required: ['at'] });
  });

  it('writes a transformed field as what it produces (a number in E.164, a mapped grading), not as anything', () => {
    const answered = openApiSchemaOf(lineEventV1, 'output');
    const json = JSON.stringify(answered);
    expect(json).not.toContain('"grading":{}');
    expect(json).not.toContain('"msisdn":{}');
    expect(json).not.toContain('"imei":{}');
    // Every example event of libs/contracts, resolved and stored as the tracker stores it, matches the answer's schema.
    const examples = join(__dirname, '..', '..', 'contracts', 'examples');
    const context = { now: new Date('2026-12-01T00:00:00Z'), maxFutureSkewMs: 300_000 };
    const validate = new Ajv({ strict: false, allErrors: true });
    addFormats(validate);
    const check = validate.compile(answered);
    const stored: IntelEventV1[] = [];
    for (const file of readdirSync(examples).filter((f) => f.endsWith('.valid.json'))) {
      const submitted = validateIntelSubmission(JSON.parse(readFileSync(join(examples, file), 'utf8')), context);
      if (!submitted.ok) continue; // line links: not intel events, never in a line's events
      let n = 0;
      const resolved = resolveIntelEvent(submitted.event, () => ({ lineId: `NEW-${(n += 1)}`, how: 'new' }));
      const result = validateIntelEvent(resolved, context);
      if (result.ok) stored.push(JSON.parse(JSON.stringify(result.event)) as IntelEventV1);
    }
    expect(stored.length).toBeGreaterThanOrEqual(12);
    // Among them the transformed fields: a mapped 5x5x5 grading, numbers and handsets resolved to lines.
    for (const field of ['"original"', '"resolution"', '"msisdn"', '"imei"'])
      expect({ field, found: stored.some((event) => JSON.stringify(event).includes(field)) }).toEqual({ field, found: true });
    for (const event of stored) expect({ event: event.type, errors: check(event) ? null : check.errors }).toEqual({ event: event.type, errors: null });
  });
});
