import { describeApiKeyStoreContract } from './api-key-store.contract';
import { InMemoryApiKeyStore } from './in-memory-api-key-store';

describeApiKeyStoreContract('in-memory', async () => ({ store: new InMemoryApiKeyStore(), dispose: async () => undefined }));
