import { Inject, Module, type DynamicModule, type ModuleMetadata, type OnApplicationShutdown } from '@nestjs/common';
import { JOB_QUEUE } from '@bnpl/batch';
import { type Meter } from '@opentelemetry/api';
import { METER, type ReadinessCheck } from '@bnpl/platform';
import { MessagingJobQueue } from '@bnpl/messaging';
import { MESSAGE_PUBLISHER } from '@bnpl/messaging';
import { Messaging, createMessaging } from './messaging';
import type { MessagingOptions } from './messaging-options';
import { registerMessagingMetrics } from './messaging-metrics';

/** Injection token of the process's Messaging (for `messaging.transport(...)` in main.ts). */
export const MESSAGING = Symbol('MESSAGING');
/** A ReadinessCheck named `messaging`. */
export const MESSAGING_READINESS = Symbol('MESSAGING_READINESS');

export interface MessagingModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: Array<string | symbol | (abstract new (...args: never[]) => unknown)>;
  useFactory: (...args: never[]) => MessagingOptions | Promise<MessagingOptions>;
}

class MessagingLifecycle implements OnApplicationShutdown {
  constructor(@Inject(MESSAGING) private readonly messaging: Messaging) {}
  // Runs after Nest has closed the app's transports (they drain their handlers first).
  async onApplicationShutdown(): Promise<void> {
    await this.messaging.close();
  }
}

/**
 * Provides MESSAGE_PUBLISHER, MESSAGING, JOB_QUEUE (the batch domain's queue, from @bnpl/batch) and
 * MESSAGING_READINESS for the backend the options choose.
 */
@Module({})
export class MessagingModule {
  static forRootAsync(options: MessagingModuleAsyncOptions): DynamicModule {
    return {
      module: MessagingModule,
      imports: options.imports ?? [],
      providers: [
        {
          provide: MESSAGING,
          useFactory: async (meter: Meter | undefined, ...args: never[]) => {
            const messaging = createMessaging(await options.useFactory(...args));
            if (meter) registerMessagingMetrics(meter, messaging.stats);
            return messaging;
          },
          // METER: the app's metrics (MetricsModule), when it has them.
          inject: [{ token: METER, optional: true }, ...(options.inject ?? [])],
        },
        { provide: MESSAGE_PUBLISHER, useFactory: (messaging: Messaging) => messaging.publisher, inject: [MESSAGING] },
        { provide: JOB_QUEUE, useFactory: (messaging: Messaging) => new MessagingJobQueue(messaging.publisher), inject: [MESSAGING] },
        {
          provide: MESSAGING_READINESS,
          useFactory: (messaging: Messaging): ReadinessCheck => ({ name: 'messaging', check: async () => (await messaging.broker.ping(), { kind: messaging.broker.kind }) }),
          inject: [MESSAGING],
        },
        MessagingLifecycle,
      ],
      exports: [MESSAGING, MESSAGE_PUBLISHER, JOB_QUEUE, MESSAGING_READINESS],
    };
  }
}
