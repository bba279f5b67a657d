import { type ArgumentMetadata, type PipeTransform, Injectable, SetMetadata, UsePipes, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { OUTPUT_FORMS, errorBodyV1 } from '@linewatch/contracts';
import { z } from 'zod';
import { CodedError } from './coded.error';
import { ERROR_STATUS, type ErrorCode } from './error-status.map';

/**
 * An answer: its status, the schema of what a caller reads (none: no body, as a 204) and, when not
 * JSON, its media type; `alsoAs` other media types the same answer may come in (a file download).
 */
export interface ContractAnswer {
  readonly status: number;
  readonly schema?: z.ZodType;
  readonly description: string;
  readonly mediaType?: string;
  readonly alsoAs?: Readonly<Record<string, Record<string, unknown>>>;
}

/**
 * What a route takes and answers, from zod schemas of libs/contracts: the same schemas validate the
 * request (ContractPipe) and describe it in the service's OpenAPI document (`@Contract`).
 */
export interface RouteContract {
  readonly summary: string;
  readonly description?: string;
  /** Path parameters, one key a parameter. */
  readonly params?: z.ZodObject;
  /** The query string, one key a parameter. */
  readonly query?: z.ZodObject;
  /** The JSON body. `validate: false` when the route checks it itself item by item (ingest's events). */
  readonly body?: z.ZodType;
  readonly validateBody?: boolean;
  /** The code a body that breaks its schema is refused with (INVALID_REQUEST unless the route says). */
  readonly bodyError?: ErrorCode;
  readonly responses: readonly ContractAnswer[];
  /** The error codes this route can answer with, besides those of every route (see `errorsOf`). */
  readonly errors: readonly ErrorCode[];
  /** `bearer`: an access token is required (401, 403, 429 possible); `public`: none. */
  readonly auth: 'bearer' | 'public';
  /** Other answers with a body that is not the error shape (ingest's 422 per event). */
  readonly otherAnswers?: readonly ContractAnswer[];
}

export const ROUTE_CONTRACT = 'linewatch:route-contract';

/** Every route can answer these: text no service takes, and a fault or an unreachable dependency. */
const EVERY_ROUTE: readonly ErrorCode[] = ['INVALID_CHARACTERS', 'DEPENDENCY_UNAVAILABLE', 'INTERNAL_ERROR'];
const WITH_TOKEN: readonly ErrorCode[] = ['UNAUTHENTICATED', 'FORBIDDEN', 'RATE_LIMITED'];

/** Every code the route answers with, by status. */
export function errorsOf(contract: RouteContract): Map<number, ErrorCode[]> {
  const codes = new Set<ErrorCode>([...contract.errors, ...EVERY_ROUTE, ...(contract.auth === 'bearer' ? WITH_TOKEN : [])]);
  if (contract.params) codes.add('INVALID_PARAMETER');
  if (contract.query) codes.add('INVALID_QUERY');
  if (contract.body && contract.validateBody !== false) codes.add(contract.bodyError ?? 'INVALID_REQUEST');
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of [...codes].sort()) {
    const status = ERROR_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return byStatus;
}

type Json = Record<string, unknown>;

/**
 * A zod schema as an OpenAPI 3.0 schema object: what a caller sends (`input`: before the
 * service's transforms) or what it reads (`output`). Refinements have no JSON Schema form and
 * are left out (the service still applies them). On the output side a transform the contracts
 * know (`OUTPUT_FORMS`: a normalised number, a mapped grading) is written as what it produces.
 */
export function openApiSchemaOf(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io,
    unrepresentable: 'any',
    ...(io === 'output' ? { override: withOutputForm } : {}),
  }) as Json;
  return withNullInEnums(rest) as Json;
}

function withOutputForm({ zodSchema, jsonSchema }: { zodSchema: z.core.$ZodType; jsonSchema: Json }): void {
  const form = OUTPUT_FORMS.get(zodSchema);
  if (!form) return;
  for (const key of Object.keys(jsonSchema)) delete jsonSchema[key];
  Object.assign(jsonSchema, openApiSchemaOf(form, 'output'));
}

/**
 * OpenAPI 3.0.3: `nullable: true` does not widen an `enum`, which must list null itself (zod's
 * 3.0 output leaves it out, so a validator refuses the null a nullable enum allows).
 */
function withNullInEnums(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withNullInEnums);
  if (node === null || typeof node !== 'object') return node;
  const out = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, withNullInEnums(value)])) as Json;
  if (out.nullable === true && Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...(out.enum as unknown[]), null];
  return out;
}

function parametersOf(schema: z.ZodObject): { name: string; required: boolean; schema: Json; description?: string }[] {
  const json = openApiSchemaOf(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, Json>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return { name, required: required.has(name), schema: rest, ...(typeof description === 'string' ? { description } : {}) };
  });
}

/**
 * Declares a route's contract: installs ContractPipe (params, query and body parsed by their zod
 * schemas, a 400 naming every problem otherwise) and writes the same schemas, the 2xx answers and
 * every error answer (errorBodyV1) into the OpenAPI document.
 */
export function Contract(contract: RouteContract): MethodDecorator {
  const decorators: MethodDecorator[] = [];
  decorators.push(ApiOperation({ summary: contract.summary, ...(contract.description ? { description: contract.description } : {}) }));
  if (contract.auth === 'bearer') decorators.push(ApiBearerAuth());
  for (const p of contract.params ? parametersOf(contract.params) : []) decorators.push(ApiParam({ ...p, required: true }));
  for (const q of contract.query ? parametersOf(contract.query) : []) decorators.push(ApiQuery(q));
  for (const answer of [...contract.responses, ...(contract.otherAnswers ?? [])]) {
    if (!answer.schema) {
      decorators.push(ApiResponse({ status: answer.status, description: answer.description }));
      continue;
    }
    const schema = openApiSchemaOf(answer.schema, 'output');
    const others = Object.fromEntries(Object.entries(answer.alsoAs ?? {}).map(([type, other]) => [type, { schema: other }]));
    decorators.push(
      ApiResponse({
        status: answer.status,
        description: answer.description,
        ...(answer.mediaType || answer.alsoAs
          ? { content: { [answer.mediaType ?? 'application/json']: { schema }, ...others } }
          : { schema }),
      }),
    );
  }
  const errorSchema = openApiSchemaOf(errorBodyV1, 'output');
  for (const [status, codes] of errorsOf(contract)) {
    decorators.push(
      ApiResponse({ status, description: `${codes.join(', ')} (the error shape: code, message, errors[])`, schema: errorSchema }),
    );
  }
  const methodDecorators: MethodDecorator[] = [SetMetadata(ROUTE_CONTRACT, contract), UsePipes(new ContractPipe(contract))];
  if (contract.body) methodDecorators.push(ApiBody({ schema: openApiSchemaOf(contract.body, 'input'), required: true }));
  return applyDecorators(...decorators, ...methodDecorators);
}

const CODE_OF_PART: Record<string, ErrorCode> = { query: 'INVALID_QUERY', param: 'INVALID_PARAMETER', body: 'INVALID_REQUEST' };

/**
 * The one validation pipe of every service, installed by `@Contract` on its route: `@Query()`,
 * `@Param()` / `@Param('name')` and `@Body()` come to the handler parsed by the route's schemas
 * (defaults filled, strings coerced), or the request is refused with a 400 naming each problem.
 */
@Injectable()
export class ContractPipe implements PipeTransform {
  constructor(private readonly contract: RouteContract) {}

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const schema = this.schemaFor(metadata);
    if (!schema) return value;
    const result = schema.safeParse(value ?? {});
    if (result.success) return result.data;
    const code = metadata.type === 'body' ? (this.contract.bodyError ?? 'INVALID_REQUEST') : CODE_OF_PART[metadata.type];
    const prefix = metadata.type === 'param' && metadata.data ? metadata.data : '';
    const errors = result.error.issues.map((issue) => ({
      path: [prefix, ...issue.path.map(String)].filter((part) => part !== '').join('.') || '(request)',
      message: issue.message,
    }));
    throw new CodedError(code, errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors);
  }

  private schemaFor({ type, data }: ArgumentMetadata): z.ZodType | undefined {
    const whole = type === 'query' ? this.contract.query : type === 'param' ? this.contract.params : undefined;
    if (type === 'body') return this.contract.validateBody === false ? undefined : this.contract.body;
    if (!whole) return undefined;
    return data ? (whole.shape[data] as z.ZodType | undefined) : whole;
  }
}
