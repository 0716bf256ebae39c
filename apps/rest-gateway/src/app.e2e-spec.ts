import { describeServiceLifecycle, getJson } from '@bnpl/testing';

describeServiceLifecycle({
  app: 'rest-gateway',
  httpPortVariable: 'PORT',
  readinessChecks: ['postgres', 'online-store'],
  servesWithoutOnlineStore: true,
  whileDegraded: async ({ httpUrl }) => {
    // Degraded is still answering: reads come from PostgreSQL.
    const read = await getJson(`${httpUrl}/v1/customers/1/features?features=customer_profile:country`);
    expect(read.status).toBe(200);
  },
});
