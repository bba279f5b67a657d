/**
 * The published OpenAPI documents (docs/openapi/<service>.json, issue 16):
 * - in step with the code: regenerated from the route contracts and compared;
 * - valid OpenAPI 3.0 by an independent validator (@apidevtools/swagger-parser);
 * - complete: every operation has its path parameters, a 2xx schema and its 4xx answers in the error shape;
 * - enough to build a client from: openapi-typescript generates types from a document, and a call
 *   written against them compiles (and a wrong one does not) with the TypeScript compiler.
 * The real answers are checked against these schemas by test/openapi.e2e-spec.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import ts from 'typescript';
import { OPENAPI_DIR, openApiDocuments } from './openapi.command';

const SERVICES = ['api', 'ingest', 'alerter', 'tracker'] as const;
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

type Json = Record<string, unknown>;

function published(service: string): Json {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', OPENAPI_DIR, `${service}.json`), 'utf8')) as Json;
}

function operationsOf(document: Json): { key: string; path: string; operation: Json }[] {
  const found: { key: string; path: string; operation: Json }[] = [];
  for (const [path, item] of Object.entries(document.paths as Record<string, Json>)) {
    for (const method of METHODS) {
      const operation = item[method] as Json | undefined;
      if (operation) found.push({ key: `${method.toUpperCase()} ${path}`, path, operation });
    }
  }
  return found;
}

/** What is wrong with one operation's documentation (empty: complete). */
function gapsOf(path: string, operation: Json): string[] {
  const gaps: string[] = [];
  const responses = (operation.responses ?? {}) as Record<string, Json>;
  const parameters = (operation.parameters ?? []) as Json[];
  for (const name of path.match(/\{[^}]+\}/g) ?? []) {
    const declared = parameters.find((p) => p.in === 'path' && `{${String(p.name)}}` === name);
    if (!declared?.schema) gaps.push(`path parameter ${name} has no schema`);
  }
  for (const parameter of parameters)
    if (!parameter.schema) gaps.push(`${String(parameter.in)} parameter ${String(parameter.name)} has no schema`);
  const body = operation.requestBody as Json | undefined;
  if (body && !Object.values((body.content ?? {}) as Record<string, Json>).some((media) => media.schema))
    gaps.push('request body has no schema');
  const success = Object.entries(responses).filter(([status]) => /^2\d\d$/.test(status));
  if (success.length === 0) gaps.push('no 2xx answer');
  for (const [status, answer] of success) {
    if (status === '204') continue;
    const media = Object.values((answer.content ?? {}) as Record<string, Json>);
    if (media.length === 0 || !media.every((m) => m.schema)) gaps.push(`${status} has no schema`);
  }
  const clientErrors = Object.entries(responses).filter(([status]) => /^4\d\d$/.test(status));
  if (clientErrors.length === 0) gaps.push('no 4xx answer');
  for (const [status, answer] of Object.entries(responses).filter(([s]) => /^[45]\d\d$/.test(s))) {
    const schema = ((answer.content as Record<string, Json> | undefined)?.['application/json']?.schema ?? {}) as Json;
    const required = (schema.required ?? []) as string[];
    if (!['code', 'message', 'errors'].every((field) => required.includes(field))) gaps.push(`${status} is not the error shape`);
  }
  if (operation.security && !('401' in responses && '403' in responses)) gaps.push('needs a token but documents no 401 and 403');
  return gaps;
}

describe('the published OpenAPI documents', () => {
  let generated: Record<string, Json>;

  beforeAll(async () => {
    generated = JSON.parse(JSON.stringify(await openApiDocuments())) as Record<string, Json>;
  }, 60_000);

  it.each(SERVICES)('docs/openapi/%s.json is what the code serves (regenerate: npx linewatch openapi)', (service) => {
    expect(published(service)).toEqual(generated[`${service}.json`]);
  });

  it.each(SERVICES)('%s: valid OpenAPI by an independent validator', async (service) => {
    await expect(SwaggerParser.validate(published(service) as never)).resolves.toBeDefined();
  });

  it.each(SERVICES)('%s: every operation has its parameters, a 2xx schema and its 4xx answers', (service) => {
    const gaps = operationsOf(published(service)).flatMap(({ key, path, operation }) =>
      gapsOf(path, operation).map((gap) => `${key}: ${gap}`),
    );
    expect(gaps).toEqual([]);
  });

  it('the api documents every route with its query parameters and bodies', () => {
    const operations = new Map(operationsOf(published('api')).map((o) => [o.key, o.operation]));
    const queryOf = (key: string) => ((operations.get(key)?.parameters ?? []) as Json[]).filter((p) => p.in === 'query').map((p) => p.name);
    expect(queryOf('GET /v1/lines')).toEqual(['state', 'area', 'brand', 'msisdn', 'imei', 'changedSince', 'after', 'limit']);
    expect(queryOf('GET /v1/alerts')).toEqual(expect.arrayContaining(['status', 'severity', 'since', 'after', 'limit']));
    expect(queryOf('GET /v1/exports/weekly')).toEqual(['from', 'to', 'area', 'format', 'version']);
    for (const key of [
      'POST /v1/silences',
      'POST /v1/lines/{lineId}/assessments',
      'POST /v1/lines/{lineId}/reviews',
      'POST /v1/alerts/{id}/acknowledge',
    ]) {
      expect(operations.get(key)?.requestBody).toBeDefined();
    }
    expect(operationsOf(published('ingest')).find((o) => o.key === 'POST /v1/events')?.operation.requestBody).toBeDefined();
  });

  it('the checks catch an undocumented route', () => {
    expect(gapsOf('/v1/things/{id}', { responses: { '200': { description: 'ok' } } })).toEqual([
      'path parameter {id} has no schema',
      '200 has no schema',
      'no 4xx answer',
    ]);
  });

  it('an integrator generates types from the documents alone and a client call compiles against them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'linewatch-openapi-client-'));
    // As an integrator would: the openapi-typescript command on the published file.
    const root = join(__dirname, '..', '..');
    for (const service of ['api', 'ingest']) {
      execFileSync(
        process.execPath,
        [
          join(root, 'node_modules', 'openapi-typescript', 'bin', 'cli.js'),
          join(root, OPENAPI_DIR, `${service}.json`),
          '-o',
          join(dir, `${service}.ts`),
        ],
        { stdio: 'pipe' },
      );
    }
    const client = `
      import type { paths as Api } from './api';
      import type { paths as Ingest } from './ingest';
      type LinePage = Api['/v1/lines']['get']['responses'][200]['content']['application/json'];
      type LineQuery = NonNullable<Api['/v1/lines']['get']['parameters']['query']>;
      type Problem = Api['/v1/lines/{lineId}']['get']['responses'][404]['content']['application/json'];
      type Submission = NonNullable<Ingest['/v1/events']['post']['requestBody']>['content']['application/json'];
      export async function listLines(base: string, token: string, query: LineQuery): Promise<LinePage | Problem> {
        const url = new URL('/v1/lines', base);
        for (const [name, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(name, String(value));
        const answer = await fetch(url, { headers: { authorization: 'Bearer ' + token } });
        return (await answer.json()) as LinePage | Problem;
      }
      export const ids = (page: LinePage): string[] => page.lines.map((line) => line.lineId + ':' + (line.state ?? 'untracked'));
      export const codeOf = (problem: Problem): string => problem.code + ' ' + problem.errors.map((e) => e.path).join(',');
      export const submit = (body: Submission): string => JSON.stringify(body);
      export const query: LineQuery = { state: 'dormant', limit: 50 };
    `;
    const wrong = `
      import type { paths as Api } from './api';
      type LineQuery = NonNullable<Api['/v1/lines']['get']['parameters']['query']>;
      export const query: LineQuery = { state: 'sleeping' };
    `;
    writeFileSync(join(dir, 'client.ts'), client);
    writeFileSync(join(dir, 'wrong.ts'), wrong);
    const compile = (file: string) => {
      const program = ts.createProgram([join(dir, file)], {
        strict: true,
        noEmit: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        moduleResolution: ts.ModuleResolutionKind.Bundler,
        lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
        types: [],
      });
      return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    };
    expect(compile('client.ts')).toEqual([]);
    expect(compile('wrong.ts').join('\n')).toMatch(/"sleeping"/);
  }, 60_000);
});
