/** The backend, selected by `type`; one file per backend under ../adapters. */
export type MessagingBackendOptions =
  | {
      type: 'pubsub';
      projectId: string;
      /** `host:port` of a Pub/Sub emulator; absent: the real service. */
      emulatorHost?: string;
      /** Create missing topics and subscriptions (default true). */
      createMissing?: boolean;
      /** Streaming-pull streams per subscription (default 5); on the emulator each carries about 100 messages/s. */
      streamsPerSubscription?: number;
    }
  | {
      type: 'memory';
      /** Brokers with the same namespace share their topics (default `default`). */
      namespace?: string;
    };

/** Consumer settings common to every backend. */
export interface MessagingCommonOptions {
  /** Deliveries of a message whose handler fails before it is dead-lettered (default 5). */
  readonly maxDeliveries?: number;
  /** How long closing waits for running handlers (default 10 s: Cloud Run's grace period after SIGTERM). */
  readonly drainTimeoutMs?: number;
}

export type MessagingOptions = MessagingBackendOptions & MessagingCommonOptions;
