import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, HttpAdapterHost } from '@nestjs/core';
import type { AuthConfig } from '@linewatch/config';
import type { NextFunction, Request, Response } from 'express';
import { TokenVerifier } from '@linewatch/security';
import { ErrorBodyFilter } from './error-body.filter';
import { answerClientErrors } from './http-server.hardening';
import type { HttpPlatformOptions } from './refused-reads';
import {
  HTTP_PLATFORM_OPTIONS,
  HTTP_PLATFORM_VERIFIER,
  RequestBodyTextInterceptor,
  RequestRefusals,
  RequestTextMiddleware,
  privateResponses,
} from './request-text.guard';

/**
 * What every service's HTTP side holds to, on every route: one error shape (ErrorBodyFilter),
 * private and unsniffable responses, and no NUL or non-Unicode text in the path, query,
 * headers or body (400 INVALID_CHARACTERS; a refused read is on the s.62 record).
 */
@Module({})
export class HttpPlatformModule implements NestModule, OnApplicationBootstrap {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly requestText: RequestTextMiddleware,
  ) {}

  static forRoot(auth: AuthConfig, options: HttpPlatformOptions): DynamicModule {
    return {
      module: HttpPlatformModule,
      providers: [
        { provide: HTTP_PLATFORM_OPTIONS, useValue: options },
        { provide: HTTP_PLATFORM_VERIFIER, useValue: new TokenVerifier(auth) },
        RequestRefusals,
        RequestTextMiddleware,
        { provide: APP_FILTER, useClass: ErrorBodyFilter },
        { provide: APP_INTERCEPTOR, useClass: RequestBodyTextInterceptor },
      ],
    };
  }

  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter?.getHttpServer();
    if (server) answerClientErrors(server);
  }

  /**
   * Plain Express middleware, in front of every route: Nest's own middleware is mounted as a
   * wildcard route, whose parameter Express must decode first — and a path that is not UTF-8
   * would fail there, before any check could name it.
   */
  configure(_consumer: MiddlewareConsumer): void {
    const express = this.adapterHost.httpAdapter;
    express.use(privateResponses);
    express.use((request: Request, response: Response, next: NextFunction) => {
      this.requestText.use(request, response, next).catch(next);
    });
  }
}
