// Public API of @bnpl/feature-definitions: the feature definition language, the BNPL catalog, the
// reference evaluator and the SourceFeatureReader port. Pure TypeScript, no I/O.

// errors
export { FeatureStoreError, type ErrorKind } from './errors/feature-store.error';
export { CatalogError, type CatalogErrorReason } from './errors/catalog.error';
export {
  InvalidFeatureRefError,
  UnknownFeatureError,
  UnknownFeatureServiceError,
  UnknownFeatureViewError,
} from './errors/unknown-feature.error';
export { CatalogValidationError, type CatalogProblem, type CatalogProblemReason } from './errors/catalog-validation.error';
export { InvalidAsOfError, InvalidEntityIdError, InvalidRequestInputError } from './errors/invalid-argument.error';
export { FeatureComputationError, type FeatureComputationErrorReason } from './errors/feature-computation.error';
export { boundMessage, quoteInput, MAX_ERROR_MESSAGE_LENGTH, MAX_QUOTED_INPUT_LENGTH } from './errors/bounded-message';

// the language
export {
  NO_CURRENCY,
  VALUE_TYPES,
  ValueType,
  describeValue,
  isCurrencyCode,
  isMoney,
  isValueOfType,
  money,
  type FeatureRow,
  type FeatureValue,
  type Money,
  type ValueOf,
  type ValueTypeMap,
} from './model/value-type';
export { defineEntity, type EntityDefinition } from './model/entity';
export {
  ColumnType,
  column,
  defineSource,
  isNumericColumnType,
  isTemporalColumnType,
  type ColumnDefinition,
  type RebuiltColumn,
  type SourceDefinition,
  type SourceHistory,
} from './model/source';
export { classifyBackfill, type BackfillMode, type FeatureBackfill } from './model/backfill';
export { predicateColumns, where, type ComparisonOp, type Literal, type Predicate } from './model/predicate';
export {
  WINDOW_DAYS,
  compute,
  defineFeatureView,
  feature,
  type AgeDaysSpec,
  type AggregateFn,
  type AggregateSpec,
  type AnyFeatureDefinition,
  type AttributeSpec,
  type Computation,
  type FeatureDefinition,
  type FeatureOperand,
  type FeatureViewDefinition,
  type RatioOperand,
  type RatioSpec,
  type WindowDays,
} from './model/feature-view';
export {
  defineRequestFeatureView,
  requestFeature,
  type AnyRequestFeatureDefinition,
  type RequestFeatureContext,
  type RequestFeatureDefinition,
  type RequestFeatureViewDefinition,
} from './model/request-feature-view';
export { defineFeatureService, type FeatureServiceDefinition } from './model/feature-service';
export { formatFeatureRef, isValidName, parseFeatureRef, type ParsedFeatureRef } from './model/feature-ref';
export { assertEntityId, compareEntityIds, isValidEntityId } from './model/entity-id';
export {
  Catalog,
  defineCatalog,
  type FeatureView,
  type RequestFeatureView,
  type ResolvedFeature,
  type ResolvedFeatureService,
} from './model/catalog';
export { validateCatalog, type CatalogDefinition } from './model/validate-catalog';
export { columnsViewReads, sourceColumnsRead } from './model/source-columns';
export type {
  AggregatePlan,
  PlannedComputation,
  PlannedFeature,
  PlannedOperand,
  PlannedWindow,
  ResolvedEntity,
  SourcePlan,
  ViewPlan,
} from './model/view-plan';

// evaluation
export { computeFeatureViewFromRows } from './evaluation/compute-feature-view';
export { computeViewAtFromRows } from './evaluation/compute-view-at';
export {
  evaluateViewTiles,
  isViewTiles,
  summariseViewTiles,
  valuesOnDay,
  viewTilesFingerprint,
  type RowsBySource,
  type TilePartial,
  type Tiles,
  type ViewTiles,
} from './evaluation/view-tiles';
export { computeRequestFeatures } from './evaluation/compute-request-features';
export { evaluatePredicate } from './evaluation/evaluate-predicate';
export { normaliseColumnValue, type NormalisedValue, type SourceRow } from './evaluation/column-value';
export { addMoney, divideRoundHalfUp } from './evaluation/money-arithmetic';
export {
  asOfDayNumber,
  dayNumberOfDate,
  formatDayNumber,
  isInWindow,
  utcDayNumber,
  windowDayRange,
  type DayNumber,
} from './evaluation/window';

// retry timing (pure: callers keep the attempt count and the timer)
export { exponentialBackoff, type BackoffSchedule, type ExponentialBackoffOptions } from './retry/exponential-backoff';

// ports
export { SOURCE_FEATURE_READER, type EntityFeatureRow, type SourceFeatureReader } from './ports/source-feature-reader.port';
export { SOURCE_TILES_READER, type SourceTilesReader } from './ports/source-tiles-reader.port';
export { POINT_IN_TIME_SOURCE_READER, type PointInTimeSourceReader } from './ports/point-in-time-source-reader.port';

// the BNPL catalog
export { bnplCatalog } from './catalog/bnpl-catalog';
export { customerEntity, merchantEntity } from './catalog/entities';
export {
  INSTALLMENT_STATUSES,
  ORDER_STATUSES,
  bnplSources,
  customersSource,
  installmentsSource,
  merchantsSource,
  ordersSource,
  paymentsSource,
} from './catalog/sources';

export { EDGE_STATUS, edgeStatusOf, type EdgeStatus } from './errors/edge-status';
