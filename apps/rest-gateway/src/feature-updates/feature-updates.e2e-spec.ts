import { bnplCatalog } from '@bnpl/feature-definitions';
import { createOnlineStore } from '@bnpl/online-store-nest';
import { describeFeatureUpdateScenario, getJson } from '@bnpl/testing';

// Two rest-gateway processes with a 10-minute L1 TTL, on a real PostgreSQL, redis-server and the Pub/Sub
// emulator: a value changed in Redis reaches their answers only through a feature-update event.

interface FeaturesBody {
  results: Array<{ values: Array<{ value: unknown; status: string }> }>;
}

describeFeatureUpdateScenario({
  app: 'rest-gateway',
  openStore: (url) => createOnlineStore({ type: 'redis', url }, bnplCatalog),
  startInstance: (stack, env) => stack.startService('rest-gateway', env),
  async readCountry(instance, customerId) {
    const r = await getJson(`${instance.url}/v1/customers/${customerId}/features?features=customer_profile:country`);
    if (r.status !== 200) throw new Error(`GET features answered ${r.status}: ${JSON.stringify(r.body)}`);
    return (r.body as FeaturesBody).results[0].values[0];
  },
  present: (code) => ({ value: code, status: 'PRESENT' }),
});
