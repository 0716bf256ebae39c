import { Inject, Logger, Module, type DynamicModule, type ModuleMetadata, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { Meter } from '@opentelemetry/api';
import { InMemoryApiKeyStore, type KeyRevocationNotifier } from '@bnpl/access-control';
import type { Catalog } from '@bnpl/feature-definitions';
import { MESSAGE_PUBLISHER, type MessagePublisher } from '@bnpl/messaging';
import { FEATURE_CATALOG, METER } from '@bnpl/platform';
import { PostgresApiKeyStore, SOURCE_DATABASE, type SourceDatabase } from '@bnpl/postgres';
import { AccessGuard } from './access.guard';
import { AccessControl } from './access-control';
import { registerAccessControlMetrics } from './access-control-metrics';
import type { AccessControlOptions } from './access-control-options';
import { ACCESS_CONTROL, API_KEY_ADMIN } from './access-control.tokens';
import { KeyRevocationsController, PublishingKeyRevocationNotifier } from './key-revocations';

export interface AccessControlModuleAsyncOptions {
  /** Modules providing SOURCE_DATABASE (DbModule; for the postgres key store) and MESSAGE_PUBLISHER (MessagingModule). */
  imports?: ModuleMetadata['imports'];
  inject?: Array<string | symbol | (abstract new (...args: never[]) => unknown)>;
  useFactory: (...args: never[]) => AccessControlOptions | Promise<AccessControlOptions>;
}

const OPTIONS = Symbol('ACCESS_CONTROL_OPTIONS');

class AccessControlLifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('AccessControl');
  constructor(@Inject(ACCESS_CONTROL) private readonly access: AccessControl) {}

  onModuleInit(): void {
    const { options } = this.access;
    if (!this.access.enabled) {
      this.logger.warn(
        `ACCESS CONTROL IS OFF (AUTH_MODE=off): ${options.service} answers every call without a credential, scope or rate limit. This is for tests and benchmarks only; never run it so in production.`,
      );
      return;
    }
    const tokens = options.jwt ? `and bearer tokens from ${options.jwt.issuer} (${options.jwt.jwksUrl ? 'JWKS' : 'static key'})` : '(bearer tokens not accepted: no identity provider configured)';
    this.logger.log(
      `access control on: API keys (${options.keyStore} key table) ${tokens}; rate limits ${options.rateLimit.store.type === 'redis' ? 'shared through Redis' : 'counted in this process'}, default ${options.rateLimit.defaultPerSecond}/s; public: ${options.publicPaths.join(', ')}`,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.access.close();
  }
}

/**
 * Access control for an app with an API: the global AccessGuard (every REST route and gRPC method needs
 * the scope it declares with `@RequireScope`), ACCESS_CONTROL, API_KEY_ADMIN (for the `/v1/keys` API),
 * metrics on the app's METER, and the handler of key-revocation events. The app adds
 * `keyRevocationsBinding(<app>)` to its messaging transport so that those events reach it.
 */
@Module({})
export class AccessControlModule {
  static forRootAsync(options: AccessControlModuleAsyncOptions): DynamicModule {
    return {
      module: AccessControlModule,
      imports: options.imports ?? [],
      providers: [
        { provide: OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] },
        {
          provide: ACCESS_CONTROL,
          useFactory: (opts: AccessControlOptions, catalog: Catalog, db?: SourceDatabase, publisher?: MessagePublisher, meter?: Meter) => {
            if (opts.keyStore === 'postgres' && !db) throw new Error('AccessControlModule: the postgres key store needs DbModule in `imports`');
            const notifier: KeyRevocationNotifier = publisher ? new PublishingKeyRevocationNotifier(publisher) : { keyRevoked: async () => undefined };
            const access = new AccessControl(opts, { keyStore: opts.keyStore === 'postgres' && db ? new PostgresApiKeyStore(db) : new InMemoryApiKeyStore(), notifier, catalog });
            if (meter) registerAccessControlMetrics(meter, access);
            return access;
          },
          inject: [OPTIONS, FEATURE_CATALOG, { token: SOURCE_DATABASE, optional: true }, { token: MESSAGE_PUBLISHER, optional: true }, { token: METER, optional: true }],
        },
        { provide: API_KEY_ADMIN, useFactory: (access: AccessControl) => access.admin, inject: [ACCESS_CONTROL] },
        { provide: APP_GUARD, useClass: AccessGuard },
        AccessControlLifecycle,
      ],
      controllers: [KeyRevocationsController],
      exports: [ACCESS_CONTROL, API_KEY_ADMIN],
    };
  }
}
