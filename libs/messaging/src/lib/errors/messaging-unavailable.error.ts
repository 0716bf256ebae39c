import { FeatureStoreError } from '@bnpl/feature-definitions';

/** The messaging backend did not take a message or answer a call in time, or the client is closed. */
export class MessagingUnavailableError extends FeatureStoreError {
  /** A dependency is down: the caller may retry (503 / UNAVAILABLE). */
  readonly kind = 'UNAVAILABLE';
  readonly reason = 'MESSAGING_UNAVAILABLE';

  constructor(detail: string, options?: { cause?: unknown }) {
    super(`Messaging is unavailable: ${detail}`);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}
