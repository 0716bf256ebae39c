import './tracing'; // first: see tracing.ts
import 'reflect-metadata';
import { runService } from '@bnpl/platform';
import { startCdcIngestor } from './bootstrap';
import { loadCdcIngestorConfig } from './config';

runService('cdc-ingestor', () => loadCdcIngestorConfig(), startCdcIngestor);
