import { bnplCatalog } from '@bnpl/feature-definitions';
import { contractCatalog, describeOnlineStoreContract, OnlineStoreUnavailableError } from '@bnpl/online-store';
import { generateTestCertificates, startTlsRedis, waitFor, type RunningTlsRedis, type TestCertificates } from '@bnpl/testing';
import { RedisOnlineStore } from './redis-online-store';

/**
 * The online store's contract over rediss:// against a real redis-server's TLS port (Debian's build has
 * TLS), its certificate signed by the suite's own CA and trusted through `tlsCa` (REDIS_CA_FILE).
 */
describeOnlineStoreContract('redis over TLS (rediss://, private CA)', async () => {
  const certs = generateTestCertificates();
  const redis = await startTlsRedis(certs);
  const open = () => RedisOnlineStore.standalone(redis.tlsUrl, { catalog: contractCatalog, tlsCa: certs.ca.cert });
  const store = open();
  return {
    store,
    openAnother: open,
    dispose: async () => {
      await store.close();
      await redis.stop();
      certs.remove();
    },
  };
});

describe('RedisOnlineStore over rediss:// refuses a server it cannot verify', () => {
  let certs: TestCertificates;
  let redis: RunningTlsRedis;

  beforeAll(async () => {
    certs = generateTestCertificates();
    redis = await startTlsRedis(certs);
  });
  afterAll(async () => {
    await redis?.stop();
    certs?.remove();
  });

  it('reads with the private CA; without it, with another CA, or with redis:// on the TLS port, every read fails as unavailable', async () => {
    const key = [{ entity: 'customer', id: '1' }];
    const trusted = RedisOnlineStore.standalone(redis.tlsUrl, { catalog: bnplCatalog, tlsCa: certs.ca.cert });
    const refused = [
      RedisOnlineStore.standalone(redis.tlsUrl, { catalog: bnplCatalog }),
      RedisOnlineStore.standalone(redis.tlsUrl, { catalog: bnplCatalog, tlsCa: certs.otherCa.cert }),
      RedisOnlineStore.standalone(`redis://127.0.0.1:${redis.tlsPort}`, { catalog: bnplCatalog, tlsCa: certs.ca.cert }),
    ];
    try {
      // The client connects in the background: once the trusted one answers, the others have had their chance.
      expect(await waitFor('the trusted store to answer', () => trusted.read(key, ['customer_profile']).catch(() => undefined), 15_000, 50)).toEqual([[null]]);
      await new Promise((r) => setTimeout(r, 300));
      for (const store of refused) await expect(store.read(key, ['customer_profile'])).rejects.toBeInstanceOf(OnlineStoreUnavailableError);
    } finally {
      await Promise.all([trusted, ...refused].map((store) => store.close()));
    }
  });
});
