import { InMemoryRateBudget } from './in-memory-rate-budget';
import { describeRateBudgetContract } from './rate-budget.contract';

// Two "instances" of one process share its memory: the same object.
describeRateBudgetContract('in-memory', async () => {
  const budget = new InMemoryRateBudget();
  return { budget, openAnother: async () => ({ windowMs: budget.windowMs, take: (k, w, l) => budget.take(k, w, l), close: async () => undefined }), dispose: () => budget.close() };
});
