import './tracing'; // first: see tracing.ts
import 'reflect-metadata';
import { runService } from '@bnpl/platform';
import { startBatchProcessor } from './bootstrap';
import { loadBatchProcessorConfig } from './config';

runService('batch-processor', () => loadBatchProcessorConfig(), startBatchProcessor);
