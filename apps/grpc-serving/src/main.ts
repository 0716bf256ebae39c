import './tracing'; // first: see tracing.ts
import 'reflect-metadata';
import { runService } from '@bnpl/platform';
import { startGrpcServing } from './bootstrap';
import { loadGrpcServingConfig } from './config';

runService('grpc-serving', () => loadGrpcServingConfig(), startGrpcServing, { workers: (config) => config.SERVING_WORKERS });
