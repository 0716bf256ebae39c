// Public API of @bnpl/serving-runtime: the NestJS wiring of the read path shared by rest-gateway and
// grpc-serving (the read path itself is the framework-free @bnpl/serving), and of the feature-update
// events that keep each instance's caches fresh.
export { ServingModule, type ServingModuleOptions } from './lib/serving.module';
export { readPathEnvSchema, toReadPathOptions, type ReadPathEnv } from './lib/read-path-env';
export { GET_ONLINE_FEATURES } from './lib/serving.tokens';
export { registerServingMetrics } from './lib/serving-metrics';
export { FeatureUpdateInvalidator, type ChangedEntities, type FeatureUpdateInvalidatorStats } from './lib/feature-updates/feature-update-invalidator';
export { type FeatureUpdatesTopic } from './lib/feature-updates/feature-updates.controller';
export { FeatureUpdatesModule, type FeatureUpdatesModuleOptions } from './lib/feature-updates/feature-updates.module';
export { featureUpdatesBinding, instanceSubscriptionName, type InstanceIdentity } from './lib/feature-updates/feature-updates-subscription';
