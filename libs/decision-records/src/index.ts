// Public API of @bnpl/decision-records: every served feature vector recorded, tamper-evident, replayable,
// and joined with outcomes. The record model and its canonical, hashed body; decision ids (UUID v7); each
// serving instance's numbering and hash chain and its buffer with the backlog policies; the DecisionStore
// port with its in-memory adapter and contract suite; verify (gaps and breaks), replay (point in time,
// per feature), outcomes, retention and the served-vector training set. No driver and no framework: the
// DuckDB and BigQuery stores sit beside the offline store's adapters, the Nest wiring in
// @bnpl/decision-records-nest.

// errors
export { InvalidDecisionIdError } from './lib/errors/invalid-decision-id.error';
export { DecisionNotFoundError } from './lib/errors/decision-not-found.error';
export { InvalidOutcomeError } from './lib/errors/invalid-outcome.error';
export { OutcomeConflictError } from './lib/errors/outcome-conflict.error';
export { OutcomeNotPermittedError } from './lib/errors/outcome-not-permitted.error';
export { DecisionBacklogFullError } from './lib/errors/decision-backlog-full.error';
export { DecisionStoreUnavailableError } from './lib/errors/decision-store-unavailable.error';
export { InvalidDecisionQueryError } from './lib/errors/invalid-decision-query.error';
export { ReplayRunNotFoundError } from './lib/errors/replay-run-not-found.error';

// the record
export { MAX_DECISION_ID_LENGTH, checkDecisionId, decisionIdFor, decisionIdTime, newDecisionId } from './lib/record/decision-id';
export {
  DECISION_EDGES,
  GENESIS_HASH,
  type DecisionDraft,
  type DecisionEdge,
  type DecisionPrincipal,
  type DecisionRecord,
  type SealedRecord,
  type ServedRow,
  type ServedValue,
} from './lib/record/decision-record';
export { BODY_VERSION, MalformedRecordBodyError, decodeRecordBody, encodeRecordBody, hashBody, sealRecord } from './lib/record/canonical-record';
export { definitionFingerprint, definitionFingerprints } from './lib/record/definition-fingerprint';
export { draftOf, type DecisionContext } from './lib/record/draft-of';

// numbering, chain, buffer
export { INSTANCE_ID, RecordChain, newInstanceId } from './lib/chain/record-chain';
export { type DecisionBatch, type DecisionPublisher } from './lib/buffer/decision-batch';
export { BACKLOG_POLICIES, DecisionBuffer, type BacklogPolicy, type DecisionBufferOptions, type DecisionBufferStats } from './lib/buffer/decision-buffer';

// the store
export {
  DECISION_STORE,
  DEFAULT_SCAN_PAGE,
  OUTCOME_DECISIONS,
  REPAYMENT_LABELS,
  type DecisionOutcome,
  type DecisionStore,
  type InstanceMark,
  type OutcomeDecision,
  type RepaymentLabel,
} from './lib/store/decision-store.port';
export { InMemoryDecisionStore } from './lib/store/in-memory-decision-store';
export { describeDecisionStoreContract, type DecisionStoreContractSubject } from './lib/store/decision-store.contract';

// verify, outcomes, replay
export { utcDayRange, verifyDecisions, type ChainGap, type ChainProblem, type GapKind, type InstanceSummary, type VerifyOptions, type VerifyReport } from './lib/verify/verify-decisions';
export { MAX_REASON_CODES, checkPostedOutcome, mergeOutcome, type OutcomeChange, type PostedOutcome } from './lib/outcome/outcome';
export { compareReplay, planReplay, replayRecords, type DecisionReplay, type FeatureReplay, type ReplayHistory, type ReplayPlan, type ReplayVerdict, type ReplayedValue, type RowReplay } from './lib/replay/replay';

// use cases
export { ServeDecision, type DecisionRequest, type ServedDecision } from './lib/usecases/serve-decision';
export { ShowDecision, type DecisionView, type FeatureExplanation } from './lib/usecases/show-decision';
export { RecordOutcome, type OutcomePoster, type RecordOutcomeOptions } from './lib/usecases/record-outcome';
export { ReplayDecision } from './lib/usecases/replay-decision';
export { ReplayDay, type DayReplayReport, type FeatureSkew, type ReplayDayOptions } from './lib/usecases/replay-day';
export { VerifyDay, retentionCutoff } from './lib/usecases/verify-day';
export { DEFAULT_RETENTION_MONTHS, EnforceRetention } from './lib/usecases/enforce-retention';
export { IngestDecisionBatch, type IngestStats } from './lib/usecases/ingest-decision-batch';
export { servedTrainingSet, type ServedTrainingSetOptions, type TrainingCell } from './lib/usecases/build-served-training-set';

// for tests of code that records or stores decisions
export { batchOf, sampleChain, sampleDraft } from './lib/testing/sample-records';
