import { describeServiceLifecycle } from '@bnpl/testing';

describeServiceLifecycle({ app: 'cdc-ingestor', httpPortVariable: 'PORT', readinessChecks: ['postgres', 'online-store', 'messaging', 'cdc'] });
