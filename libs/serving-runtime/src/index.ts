// Public API of @bnpl/serving-runtime: the NestJS wiring of the read path shared by rest-gateway and
// grpc-serving (the read path itself is the framework-free @bnpl/serving).
export { ServingModule, type ServingModuleOptions } from './lib/serving.module';
export { FEATURE_CATALOG, GET_ONLINE_FEATURES } from './lib/serving.tokens';
export { registerServingMetrics } from './lib/serving-metrics';
