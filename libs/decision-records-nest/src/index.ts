// Public API of @bnpl/decision-records-nest: the NestJS wiring of decision records. In serving apps,
// DecisionRecordingModule (DECISION_SERVING: answers with a decision id and records them, publishing to
// bnpl.decisions.records) and the edge helpers (`@DecisionOf()` for REST, `grpcDecision` for gRPC); in the
// batch-processor, DecisionSinkModule (the store beside the offline store, the sink, retention, the
// decisions service API); in rest-gateway, the client forwarding its decisions API to that service.
export {
  decisionRecordingEnvSchema,
  decisionSinkEnvSchema,
  decisionsApiEnvSchema,
  toDecisionRecordingOptions,
  type DecisionRecordingEnv,
  type DecisionRecordingOptions,
  type DecisionSinkEnv,
  type DecisionsApiEnv,
} from './lib/decisions-env';
export { DECISION_ID_HEADER, DecisionOf, grpcDecision, restDecision, type EdgeDecision } from './lib/recording/edge-decision';
export { DECISION_SERVING, DecisionServing } from './lib/recording/decision-serving';
export { DECISION_BUFFER, DecisionRecordingModule, type DecisionRecordingModuleOptions } from './lib/recording/decision-recording.module';
export { DECISIONS_SUBSCRIPTION, MessagingDecisionPublisher, decisionSinkBinding } from './lib/recording/messaging-decision-publisher';
export { DecisionMetrics } from './lib/recording/decision-metrics';
export { DECISION_STORE_READINESS, DecisionSinkModule, type DecisionSinkModuleOptions } from './lib/sink/decision-sink.module';
export { decisionStoreBeside } from './lib/sink/decision-store.factory';
export { DecisionProblemFilter } from './lib/sink/decision-problem.filter';
export { PRINCIPAL_ADMIN_HEADER, PRINCIPAL_ID_HEADER } from './lib/sink/decisions-service.controller';
export { dayReplayJson, decisionJson, outcomeJson, replayJson, valueJson, verifyJson } from './lib/sink/decision-json.mapper';
export { DecisionsClient, type ForwardedAnswer, type ForwardedPrincipal } from './lib/gateway/decisions-client';
