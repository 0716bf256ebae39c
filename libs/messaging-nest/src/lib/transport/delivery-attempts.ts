import { LRUCache } from 'lru-cache';
import type { Delivery } from '@bnpl/messaging';

/**
 * Counts deliveries of messages to one subscription. The backend's count wins when it has one (Pub/Sub
 * with a dead-letter policy counts across consumers); the emulator reports none, so deliveries seen by
 * this process are counted too. That local count is per process: with N consumers a failing message may
 * be tried up to N times the limit before one of them dead-letters it (still bounded).
 */
export class DeliveryAttempts {
  // Bounded: a message nacked here and then acked by another consumer is never forgotten explicitly.
  private readonly seen = new LRUCache<string, number>({ max: 10_000 });

  /** Records `delivery` and returns its delivery attempt, from 1. */
  record(delivery: Delivery): number {
    const local = (this.seen.get(delivery.messageId) ?? 0) + 1;
    this.seen.set(delivery.messageId, local);
    return Math.max(local, delivery.deliveryAttempt);
  }

  /** The message is settled for good (acked or dead-lettered). */
  forget(messageId: string): void {
    this.seen.delete(messageId);
  }
}
