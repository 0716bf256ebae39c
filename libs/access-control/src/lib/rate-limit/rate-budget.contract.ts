import type { RateBudget } from './rate-budget.port';

export interface RateBudgetContractSubject {
  readonly budget: RateBudget;
  /** Another client of the same shared budget (another instance), ready to answer. */
  openAnother(): Promise<RateBudget>;
  dispose(): Promise<void>;
}

/**
 * The RateBudget contract, run against every adapter: `describeRateBudgetContract('redis', async () => ({ ... }))`.
 * Budgets must use 1-second windows.
 */
/**
 * Resolves at the start of the next window when less than `margin` ms of the current one are left, so that
 * a test's takes fall in one window (windows are the clock's seconds).
 */
export async function startOfWindow(windowMs: number, margin = 400): Promise<void> {
  const left = windowMs - (Date.now() % windowMs);
  if (left < margin) await new Promise((r) => setTimeout(r, left + 5));
}

export function describeRateBudgetContract(name: string, setup: () => Promise<RateBudgetContractSubject>): void {
  describe(`RateBudget contract: ${name}`, () => {
    let subject: RateBudgetContractSubject;
    let next = 0;
    // Fresh keys per test: a shared store keeps windows between tests.
    const freshKey = () => `contract:${process.pid}:${Date.now()}:${next++}`;

    beforeAll(async () => {
      subject = await setup();
    });
    afterAll(() => subject?.dispose());

    it('has one-second windows', () => {
      expect(subject.budget.windowMs).toBe(1_000);
    });

    it('grants what is asked while the window has room, then what is left, then nothing', async () => {
      const key = freshKey();
      await startOfWindow(subject.budget.windowMs);
      const first = await subject.budget.take(key, 4, 10);
      expect(first).toMatchObject({ granted: 4, remaining: 6 });
      expect(first.windowEndsInMs).toBeGreaterThan(0);
      expect(first.windowEndsInMs).toBeLessThanOrEqual(1_000);
      expect(await subject.budget.take(key, 4, 10)).toMatchObject({ granted: 4, remaining: 2 });
      expect(await subject.budget.take(key, 4, 10)).toMatchObject({ granted: 2, remaining: 0 });
      const refused = await subject.budget.take(key, 1, 10);
      expect(refused).toMatchObject({ granted: 0, remaining: 0 });
      expect(refused.windowEndsInMs).toBeGreaterThan(0);
    });

    it('keeps keys apart', async () => {
      const [a, b] = [freshKey(), freshKey()];
      await startOfWindow(subject.budget.windowMs);
      expect((await subject.budget.take(a, 3, 3)).granted).toBe(3);
      expect((await subject.budget.take(b, 3, 3)).granted).toBe(3);
      expect((await subject.budget.take(a, 1, 3)).granted).toBe(0);
    });

    it('never grants more than the limit per window to clients taking at once', async () => {
      const key = freshKey();
      const other = await subject.openAnother();
      await startOfWindow(subject.budget.windowMs);
      try {
        const takes = Array.from({ length: 40 }, (_, i) => (i % 2 ? other : subject.budget).take(key, 3, 50));
        const grants = await Promise.all(takes);
        expect(grants.reduce((sum, g) => sum + g.granted, 0)).toBe(50);
      } finally {
        await other.close();
      }
    });

    it('starts a full window once the last one has ended, at the next second of the clock', async () => {
      const key = freshKey();
      await startOfWindow(subject.budget.windowMs);
      const askedAt = Date.now();
      const first = await subject.budget.take(key, 5, 5);
      const answeredAt = Date.now();
      expect(first.granted).toBe(5);
      // The adapter read its clock somewhere between askedAt and answeredAt, so the window's end (a whole
      // second) lies between askedAt + windowEndsInMs and answeredAt + windowEndsInMs, however slow the trip.
      const windowEnd = Math.ceil((askedAt + first.windowEndsInMs) / 1_000) * 1_000;
      expect(windowEnd).toBeLessThanOrEqual(answeredAt + first.windowEndsInMs);
      await new Promise((r) => setTimeout(r, first.windowEndsInMs + 50));
      expect(await subject.budget.take(key, 5, 5)).toMatchObject({ granted: 5, remaining: 0 });
    });
  });
}
