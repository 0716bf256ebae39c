import './tracing'; // first: see tracing.ts
import 'reflect-metadata';
import { runService } from '@bnpl/platform';
import { startRestGateway } from './bootstrap';
import { loadRestGatewayConfig } from './config';

runService('rest-gateway', () => loadRestGatewayConfig(), startRestGateway, { workers: (config) => config.SERVING_WORKERS });
