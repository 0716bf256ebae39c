import { z } from 'zod';
import { env } from '@bnpl/platform';
import type { MessagingOptions } from './messaging-options';

/** The environment variables of a service that publishes or consumes messages; see toMessagingOptions. */
export const messagingEnvSchema = z.object({
  /** `pubsub` (Google Pub/Sub or its emulator) or `memory` (the in-process bus: one process only). */
  MESSAGING: env.oneOf(['pubsub', 'memory'] as const, 'pubsub'),
  /** The Google Cloud project of the topics; required with MESSAGING=pubsub (any name on the emulator). */
  PUBSUB_PROJECT_ID: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, 'must be a Google Cloud project id (6-30 lowercase letters, digits, hyphens)').optional(),
  /** host:port of a Pub/Sub emulator; unset: the real service. */
  PUBSUB_EMULATOR_HOST: z.string().regex(/^[^\s:/]+:\d{1,5}$/, 'must be host:port').optional(),
  /** Deliveries of a message whose handler fails before it goes to the dead-letter topic. */
  MESSAGING_MAX_DELIVERIES: z.coerce.number({ error: 'must be a number' }).int('must be an integer').min(1, 'must be 1..99').max(99, 'must be 1..99').default(5),
});

export type MessagingEnv = z.infer<typeof messagingEnvSchema>;

/** Cross-variable rules; pass to loadConfig so a missing variable stops the service with its name. */
export function checkMessagingEnv(config: MessagingEnv): Array<{ variable: string; message: string }> {
  if (config.MESSAGING === 'pubsub' && !config.PUBSUB_PROJECT_ID) return [{ variable: 'PUBSUB_PROJECT_ID', message: 'is required when MESSAGING=pubsub' }];
  return [];
}

export function toMessagingOptions(config: MessagingEnv): MessagingOptions {
  const common = { maxDeliveries: config.MESSAGING_MAX_DELIVERIES };
  if (config.MESSAGING === 'memory') return { type: 'memory', ...common };
  if (!config.PUBSUB_PROJECT_ID) throw new Error('PUBSUB_PROJECT_ID is required when MESSAGING=pubsub');
  return { type: 'pubsub', projectId: config.PUBSUB_PROJECT_ID, ...(config.PUBSUB_EMULATOR_HOST ? { emulatorHost: config.PUBSUB_EMULATOR_HOST } : {}), ...common };
}
