import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** A service's OpenAPI document at /docs (JSON at /docs-json), generated from its controllers. */
export function mountOpenApi(app: INestApplication, title: string, description: string): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle(title).setDescription(description).setVersion('1').addBearerAuth().build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
