import type { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { errorBodyV1, healthLiveV1, healthReadyV1 } from '@linewatch/contracts';
import { openApiSchemaOf } from './route.contract';

/** A service's name in its OpenAPI document (and its file, docs/openapi/<file>.json). */
export interface OpenApiInfo {
  readonly file: string;
  readonly title: string;
  readonly description: string;
}

type Operation = Record<string, unknown>;

/**
 * The routes every service has from libs/observability (which may not depend on the contracts):
 * described here from the contracts' health schemas, so each document lists them too.
 */
function platformPaths(): Record<string, Record<string, Operation>> {
  const errorBody = { 'application/json': { schema: openApiSchemaOf(errorBodyV1, 'output') } };
  const errors = (extra: Record<string, string> = {}) => ({
    ...Object.fromEntries(Object.entries(extra).map(([status, codes]) => [status, { description: codes, content: errorBody }])),
    '400': { description: 'INVALID_CHARACTERS (the error shape: code, message, errors[])', content: errorBody },
    '500': { description: 'INTERNAL_ERROR (the error shape: code, message, errors[])', content: errorBody },
  });
  const json = (schema: Record<string, unknown>) => ({ 'application/json': { schema } });
  const ready = (operationId: string, summary: string): Operation => ({
    operationId,
    summary,
    tags: ['health'],
    parameters: [],
    responses: {
      '200': { description: 'every dependency answers', content: json(openApiSchemaOf(healthReadyV1, 'output')) },
      ...errors({ '503': 'NOT_READY: a dependency does not answer (errors[] names each; Terminus fields beside them)' }),
    },
  });
  return {
    '/health/live': {
      get: {
        operationId: 'health_live',
        summary: 'The process runs (restart it if not)',
        tags: ['health'],
        parameters: [],
        responses: { '200': { description: 'alive', content: json(openApiSchemaOf(healthLiveV1, 'output')) }, ...errors() },
      },
    },
    '/health/ready': { get: ready('health_ready', 'Every dependency answers: send traffic only then') },
    '/health': { get: ready('health_summary', 'The same report as /health/ready') },
    '/metrics': {
      get: {
        operationId: 'metrics',
        summary: 'Prometheus metrics (text exposition format); public, counts only',
        tags: ['health'],
        parameters: [],
        responses: { '200': { description: 'the metrics', content: { 'text/plain': { schema: { type: 'string' } } } }, ...errors() },
      },
    },
  };
}

/** A service's OpenAPI document: its controllers' contracts (`@Contract`) and the platform's routes. */
export function openApiDocument(app: INestApplication, info: OpenApiInfo): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle(info.title).setDescription(info.description).setVersion('1').addBearerAuth().build(),
  );
  return { ...document, paths: { ...document.paths, ...platformPaths() } };
}

/** A service's OpenAPI document at /docs (JSON at /docs-json). */
export function mountOpenApi(app: INestApplication, info: OpenApiInfo): void {
  SwaggerModule.setup('docs', app, openApiDocument(app, info), { jsonDocumentUrl: 'docs-json' });
}

/**
 * The document of a service's module without running it: Nest's preview mode resolves the module
 * graph but builds no provider (no database, broker or Redis is touched). The document needs only
 * the controllers' prototypes, so each gets a bare instance.
 */
export async function openApiDocumentOf(module: DynamicModule, info: OpenApiInfo): Promise<OpenAPIObject> {
  const app = await NestFactory.create(module, { preview: true, logger: false, abortOnError: false });
  try {
    const container = (app as unknown as { container: PreviewContainer }).container;
    for (const wrapper of [...container.getModules().values()].flatMap((m) => [...m.controllers.values()])) {
      wrapper.instance ??= Object.create(wrapper.metatype.prototype as object) as object;
    }
    return openApiDocument(app, info);
  } finally {
    await app.close();
  }
}

interface PreviewContainer {
  getModules(): Map<string, { controllers: Map<unknown, { instance?: object; metatype: { prototype: unknown } }> }>;
}
