import { describeServiceLifecycle } from '@bnpl/testing';

describeServiceLifecycle({ app: 'batch-processor', httpPortVariable: 'PORT', readinessChecks: ['postgres', 'online-store', 'messaging'] });
