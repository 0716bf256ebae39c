import { Module, type DynamicModule } from '@nestjs/common';
import { type Meter } from '@opentelemetry/api';
import {
  DECISION_STORE,
  EnforceRetention,
  IngestDecisionBatch,
  RecordOutcome,
  ReplayDay,
  ReplayDecision,
  ShowDecision,
  VerifyDay,
  type DecisionOutcome,
  type DecisionStore,
  type OutcomeChange,
} from '@bnpl/decision-records';
import type { Catalog } from '@bnpl/feature-definitions';
import { OFFLINE_STORE, type OfflineStore } from '@bnpl/offline-store';
import { FEATURE_CATALOG, METER, type ReadinessCheck } from '@bnpl/platform';
import type { OfflineStoreOptions } from '@bnpl/offline-store-nest';
import { LocalJobFiles, type JobFileRoots } from '@bnpl/jobs-runtime';
import type { DecisionSinkEnv } from '../decisions-env';
import { DecisionRetentionJob } from './decision-retention.job';
import { DecisionSinkController } from './decision-sink.controller';
import { decisionStoreBeside } from './decision-store.factory';
import { DECISIONS_SERVICE, DecisionsServiceController, type DecisionsService } from './decisions-service.controller';
import { ReplayRuns } from './replay-runs';

/** A ReadinessCheck named `decision-store`. */
export const DECISION_STORE_READINESS = Symbol('DECISION_STORE_READINESS');

export interface DecisionSinkModuleOptions {
  /** The app's OfflineStoreModule: the decision tables live beside the feature history. */
  readonly offlineStore: DynamicModule;
  /** Its options: a BigQuery decision store connects to the same project and dataset. */
  readonly offlineOptions: OfflineStoreOptions;
  readonly config: DecisionSinkEnv;
  /** The job files root (JOB_FILES_ROOT): decision training sets are written under it only. */
  readonly files?: JobFileRoots;
}

/** Most distinct decline reasons counted by name; the rest are counted as OTHER (label values stay bounded). */
const MAX_REASON_LABELS = 100;

function outcomeMetrics(meter: Meter | undefined): DecisionsService['onOutcome'] {
  if (!meter) return () => undefined;
  const outcomes = meter.createCounter('bnpl_decision_outcomes', { description: 'Outcomes posted by the risk engine, by decision (approved, declined): the approval rate is approved / all' });
  const reasons = meter.createCounter('bnpl_decision_decline_reasons', { description: 'Reason codes of declined decisions' });
  const labels = meter.createCounter('bnpl_decision_repayment_labels', { description: 'Repayment labels added to outcomes (repaid, late, defaulted)' });
  const seen = new Set<string>();
  return (change: OutcomeChange, { decision, reasonCodes, repayment }: DecisionOutcome) => {
    if (change === 'created') {
      outcomes.add(1, { decision });
      if (decision === 'declined') {
        for (const code of reasonCodes) {
          if (seen.size < MAX_REASON_LABELS) seen.add(code);
          reasons.add(1, { reason: seen.has(code) ? code : 'OTHER' });
        }
      }
    }
    if (repayment && change !== 'unchanged') labels.add(1, { repayment });
  };
}

/**
 * The batch-processor's side of decision records: the decision store beside the offline store, the sink
 * consuming `bnpl.decisions.records` (connect `decisionSinkBinding()` on the app's transport), the
 * retention job, and the decisions service API that rest-gateway forwards to.
 */
@Module({})
export class DecisionSinkModule {
  static register({ offlineStore, offlineOptions, config, files }: DecisionSinkModuleOptions): DynamicModule {
    return {
      module: DecisionSinkModule,
      imports: [offlineStore],
      controllers: [DecisionSinkController, DecisionsServiceController],
      providers: [
        { provide: DECISION_STORE, useFactory: (offline: OfflineStore) => decisionStoreBeside(offline, offlineOptions), inject: [OFFLINE_STORE] },
        {
          provide: IngestDecisionBatch,
          useFactory: (store: DecisionStore, meter?: Meter) => {
            const ingest = new IngestDecisionBatch(store);
            if (meter) {
              const stats = () => ingest.stats();
              meter.createObservableCounter('bnpl_decisions_stored', { description: 'Decision records stored by the sink' }).addCallback((r) => r.observe(stats().written));
              meter.createObservableCounter('bnpl_decisions_duplicates', { description: 'Decision records received again and skipped (redeliveries)' }).addCallback((r) => r.observe(stats().duplicates));
              meter.createObservableCounter('bnpl_decisions_hash_mismatches', { description: 'Decision records whose body did not match their hash on arrival' }).addCallback((r) => r.observe(stats().mismatched));
            }
            return ingest;
          },
          inject: [DECISION_STORE, { token: METER, optional: true }],
        },
        {
          provide: DECISIONS_SERVICE,
          useFactory: (store: DecisionStore, offline: OfflineStore, catalog: Catalog, meter?: Meter): DecisionsService => ({
            store,
            show: new ShowDecision(store, catalog),
            outcomes: new RecordOutcome(store, { waitForRecordMs: config.DECISIONS_OUTCOME_WAIT_MS }),
            replay: new ReplayDecision(store, offline, catalog),
            verify: new VerifyDay(store, { retentionMonths: config.DECISIONS_RETENTION_MONTHS }),
            replayRuns: new ReplayRuns(new ReplayDay(store, offline, catalog)),
            onOutcome: outcomeMetrics(meter),
            ...(files ? { files: new LocalJobFiles(files) } : {}),
          }),
          inject: [DECISION_STORE, OFFLINE_STORE, FEATURE_CATALOG, { token: METER, optional: true }],
        },
        {
          provide: DecisionRetentionJob,
          useFactory: (store: DecisionStore) => new DecisionRetentionJob(new EnforceRetention(store, { retentionMonths: config.DECISIONS_RETENTION_MONTHS }), config.DECISIONS_RETENTION_INTERVAL_MS),
          inject: [DECISION_STORE],
        },
        {
          provide: DECISION_STORE_READINESS,
          useFactory: (store: DecisionStore): ReadinessCheck => ({ name: 'decision-store', check: async () => (await store.ping(), { kind: store.kind }) }),
          inject: [DECISION_STORE],
        },
      ],
      exports: [DECISION_STORE, DECISION_STORE_READINESS],
    };
  }
}
