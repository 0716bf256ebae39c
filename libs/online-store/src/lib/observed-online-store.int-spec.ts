import { describeOnlineStoreContract, contractCatalog } from './online-store.contract';
import { InMemoryOnlineStore } from './in-memory-online-store';
import { ObservedOnlineStore } from './observed-online-store';

// The test decorator must be invisible to callers: it passes the contract over the in-memory adapter, and
// its `down` switch is the outage the contract's failure and recovery test expects of a real backend.
describeOnlineStoreContract('observed memory', async () => {
  const namespace = `observed-contract-${process.pid}-${Date.now()}`;
  const open = () => new ObservedOnlineStore({ inner: new InMemoryOnlineStore({ catalog: contractCatalog, namespace }) });
  const store = open();
  return {
    store,
    openAnother: open,
    outage: {
      kill: async () => {
        store.down = true;
      },
      restart: async () => {
        store.down = false;
      },
    },
    dispose: () => store.close(),
  };
});
