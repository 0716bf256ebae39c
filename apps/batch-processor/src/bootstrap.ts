import { featureHistoryTopic, jobRequestsTopic } from '@bnpl/messaging';
import { MESSAGING, type Messaging } from '@bnpl/messaging-nest';
import { decisionSinkBinding } from '@bnpl/decision-records-nest';
import { createJsonLogger, loadServerTls, startHttpApp, telemetryOptions } from '@bnpl/platform';
import { BatchProcessorModule } from './app.module';
import { type BatchProcessorConfig } from './config';
import { HISTORY_SUBSCRIPTION } from './history/history.module';

/** Every batch-processor instance pulls from this one subscription, so they share the shards. */
export const JOB_SUBSCRIPTION = 'batch-processor.jobs';

/** Starts batch-processor and resolves once it listens. Used by main.ts and by the local stack. */
export async function startBatchProcessor(config: BatchProcessorConfig) {
  const logger = createJsonLogger('batch-processor', config.LOG_LEVEL);
  const tls = loadServerTls('batch-processor', config);
  const scheme = tls ? 'https' : 'http';
  const app = await startHttpApp(BatchProcessorModule.register(config), {
    host: config.HOST,
    port: config.PORT,
    logger,
    telemetry: telemetryOptions(config),
    tls,
    beforeListen: async (nest) => {
      const messaging = nest.get<Messaging>(MESSAGING, { strict: false });
      const history = config.OFFLINE_STORE === 'none' ? [] : [{ topic: featureHistoryTopic, subscription: HISTORY_SUBSCRIPTION, maxInFlight: 4 }];
      // The decision sink consumes where an offline store keeps the records.
      const decisions = config.OFFLINE_STORE !== 'none' && config.DECISIONS_SINK === 'on' ? [decisionSinkBinding()] : [];
      nest.connectMicroservice({ strategy: messaging.transport([...decisions, { topic: jobRequestsTopic, subscription: JOB_SUBSCRIPTION, maxInFlight: config.BATCH_SHARDS_IN_FLIGHT }, ...history]) }, { inheritAppConfig: true });
      await nest.startAllMicroservices();
    },
  });
  logger.log(`batch-processor listening on ${scheme}://${config.HOST}:${config.PORT}, running job shards from ${JOB_SUBSCRIPTION}`);
  return { apps: [app], logger, urls: { http: `${scheme}://127.0.0.1:${config.PORT}` } };
}
