import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { AuthConfig } from '@linewatch/config';
import { AuthGuard } from './auth.guard';
import { TokenVerifier } from './token.verifier';

/** Installs the deny-by-default guard on every route of the service. */
@Module({})
export class SecurityModule {
  static forRoot(config: AuthConfig): DynamicModule {
    return {
      module: SecurityModule,
      providers: [
        { provide: TokenVerifier, useValue: new TokenVerifier(config) },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
    };
  }
}
