import { describeOnlineStoreContract, contractCatalog } from './online-store.contract';
import { InMemoryOnlineStore } from './in-memory-online-store';

// Not real infrastructure, but the contract suite runs with the other adapters' (TEST_KIND=int).
describeOnlineStoreContract('memory', async () => {
  const namespace = `contract-${process.pid}-${Date.now()}`;
  const open = () => new InMemoryOnlineStore({ catalog: contractCatalog, namespace });
  const store = open();
  return { store, openAnother: open, dispose: () => store.close() };
});
