import { DecisionStoreUnavailableError } from '../errors/decision-store-unavailable.error';
import { describeDecisionStoreContract } from './decision-store.contract';
import { InMemoryDecisionStore } from './in-memory-decision-store';

describeDecisionStoreContract('in-memory', async () => {
  const store = new InMemoryDecisionStore();
  return { store, dispose: () => store.close() };
});

describe('InMemoryDecisionStore', () => {
  it('refuses every call once closed', async () => {
    const store = new InMemoryDecisionStore();
    await store.close();
    await expect(store.find('x')).rejects.toBeInstanceOf(DecisionStoreUnavailableError);
  });
});
