import { describeServiceLifecycle } from '@bnpl/testing';

describeServiceLifecycle({ app: 'rest-gateway', httpPortVariable: 'PORT', readinessChecks: ['postgres', 'online-store'] });
