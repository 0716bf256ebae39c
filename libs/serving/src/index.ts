// Public API of @bnpl/serving: the online read path shared by rest-gateway and grpc-serving. Pure
// TypeScript over the domain's ports (OnlineStore, SourceFeatureReader); the apps wire the adapters.
export {
  GetOnlineFeatures,
  type GetOnlineFeaturesOptions,
  type GetOnlineFeaturesStats,
  type ServingLogger,
} from './usecases/get-online-features/get-online-features.use-case';
export {
  MAX_ENTITY_ROWS,
  type EntityResult,
  type EntityRow,
  type FeatureResult,
  type FeatureStatus,
  type GetOnlineFeaturesCommand,
  type GetOnlineFeaturesResult,
} from './usecases/get-online-features/get-online-features.command';
export type { ServedRowTrace, ServedTrace, TracedResult, ValueOrigin } from './usecases/get-online-features/served-trace';
export type { BreakerOptions, BreakerState } from './internal/circuit-breaker';
export { InvalidFeatureRequestError, type InvalidFeatureRequestReason } from './errors/invalid-feature-request.error';
export { FeaturesUnavailableError } from './errors/features-unavailable.error';
export {
  describeCatalog,
  describeFeatureService,
  type CatalogDescription,
  type EntityDescription,
  type FeatureDescription,
  type FeatureServiceDescription,
  type FeatureViewDescription,
} from './usecases/describe-catalog/describe-catalog';
