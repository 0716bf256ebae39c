import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { type Meter } from '@opentelemetry/api';
import { DecisionBuffer, ServeDecision, newInstanceId, type DecisionDraft } from '@bnpl/decision-records';
import type { Catalog } from '@bnpl/feature-definitions';
import { MESSAGING, type Messaging } from '@bnpl/messaging-nest';
import { FEATURE_CATALOG, METER, METRICS_REGISTRY, type MetricsRegistry } from '@bnpl/platform';
import type { GetOnlineFeatures } from '@bnpl/serving';
import { GET_ONLINE_FEATURES } from '@bnpl/serving-runtime';
import type { DecisionRecordingOptions } from '../decisions-env';
import { DecisionMetrics } from './decision-metrics';
import { DECISION_SERVING, DecisionServing } from './decision-serving';
import { MessagingDecisionPublisher } from './messaging-decision-publisher';

/** The instance's DecisionBuffer, or null with recording off. */
export const DECISION_BUFFER = Symbol('DECISION_BUFFER');

export interface DecisionRecordingModuleOptions {
  /** The app's ServingModule (the same DynamicModule its API imports: one read path). */
  readonly serving: DynamicModule;
  /** The app's MessagingModule: decision batches are published through it. */
  readonly messaging: DynamicModule;
  readonly options: DecisionRecordingOptions;
}

/**
 * Closes the buffer (its last batches and the closing batch published) when messaging closes, before its
 * client does: after the HTTP and gRPC servers have closed, so no answer comes after it.
 */
function closeWithMessaging(buffer: DecisionBuffer, messaging: Messaging): void {
  const logger = new Logger('DecisionRecords');
  messaging.beforeClose(async () => {
    const lost = await buffer.close();
    const stats = buffer.stats();
    logger.log(`Decision records closed: instance ${buffer.instanceId}, ${stats.published} published, ${stats.dropped} dropped, ${lost} not published`);
  });
}

/**
 * Decision records in a serving app (rest-gateway, grpc-serving): DECISION_SERVING, which the edges call to
 * answer GetOnlineFeatures with a decision id and record it; the instance's buffer publishing to
 * `bnpl.decisions.records` through the app's messaging; metrics on the app's METER; a closing batch on
 * shutdown. Global: import it once, in the app module.
 */
@Module({})
export class DecisionRecordingModule {
  static register({ serving, messaging, options }: DecisionRecordingModuleOptions): DynamicModule {
    return {
      module: DecisionRecordingModule,
      // Global: every controller of the app answering GetOnlineFeatures injects DECISION_SERVING.
      global: true,
      imports: [serving, messaging],
      providers: [
        {
          provide: DECISION_BUFFER,
          useFactory: (m: Messaging, catalog: Catalog, meter?: Meter, registry?: MetricsRegistry): DecisionBuffer | null => {
            if (!options.enabled) return null;
            const logger = new Logger('DecisionRecords');
            let metrics: DecisionMetrics | undefined;
            const buffer = new DecisionBuffer(newInstanceId(options.service), new MessagingDecisionPublisher(m.publisher, m.broker, options.maxDeliveries), {
              policy: options.policy,
              maxBatchAgeMs: options.maxBatchAgeMs,
              maxBatchRecords: options.maxBatchRecords,
              maxPendingRecords: options.maxPendingRecords,
              observe: (draft: DecisionDraft) => metrics?.observe(draft),
              logger: { log: (message, fields) => (fields ? logger.log(message, fields) : logger.log(message)), warn: (message, fields) => (fields ? logger.warn(message, fields) : logger.warn(message)) },
            });
            if (meter && registry) metrics = new DecisionMetrics(meter, registry, buffer, catalog, options.metricFeatures);
            closeWithMessaging(buffer, m);
            logger.log(`Recording decisions as instance ${buffer.instanceId} (on backlog: ${options.policy}, flush ${options.maxBatchAgeMs} ms)`);
            return buffer;
          },
          inject: [MESSAGING, FEATURE_CATALOG, { token: METER, optional: true }, { token: METRICS_REGISTRY, optional: true }],
        },
        {
          provide: DECISION_SERVING,
          useFactory: (readPath: GetOnlineFeatures, catalog: Catalog, buffer: DecisionBuffer | null) => new DecisionServing(new ServeDecision(readPath, catalog, buffer)),
          inject: [GET_ONLINE_FEATURES, FEATURE_CATALOG, DECISION_BUFFER],
        },
      ],
      exports: [DECISION_SERVING, DECISION_BUFFER],
    };
  }
}
