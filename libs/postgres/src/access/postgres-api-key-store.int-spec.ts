import { describeApiKeyStoreContract } from '@bnpl/access-control';
import { createTestDatabase } from '@bnpl/service-launchers';
import { SourceDatabase } from '../lib/source-database';
import { PostgresApiKeyStore } from './postgres-api-key-store';

describeApiKeyStoreContract('postgres', async () => {
  const pg = await createTestDatabase();
  const db = new SourceDatabase({ type: 'postgres', url: pg.url });
  await db.start();
  return {
    store: new PostgresApiKeyStore(db),
    dispose: async () => {
      await db.close();
      await pg.stop();
    },
  };
});
