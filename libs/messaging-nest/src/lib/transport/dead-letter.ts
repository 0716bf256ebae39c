/** Why a message was dead-lettered: its handler kept failing, or its data does not decode as its topic's payload. */
export type DeadLetterReason = 'HANDLER_FAILED' | 'UNDECODABLE';

/** Attributes the transport adds to a dead letter (beside the original message's own). */
export const DEAD_LETTER_ATTRIBUTES = {
  reason: 'bnpl-dead-letter-reason',
  error: 'bnpl-dead-letter-error',
  topic: 'bnpl-source-topic',
  subscription: 'bnpl-source-subscription',
  messageId: 'bnpl-source-message-id',
  deliveryAttempts: 'bnpl-delivery-attempts',
  deadLetteredAt: 'bnpl-dead-lettered-at',
} as const;

/** The dead-letter topic of a subscription (and the name of the subscription that keeps its messages). */
export function deadLetterTopicOf(subscription: string): string {
  return `${subscription}.dlq`;
}

/** Pub/Sub caps an attribute value at 1024 bytes; 300 UTF-16 units are at most 900 bytes of UTF-8. */
const MAX_ERROR_LENGTH = 300;

export function deadLetterAttributes(source: {
  attributes: Readonly<Record<string, string>>;
  topic: string;
  subscription: string;
  messageId: string;
  deliveryAttempts: number;
  reason: DeadLetterReason;
  error: string;
}): Record<string, string> {
  const error = source.error.length > MAX_ERROR_LENGTH ? `${source.error.slice(0, MAX_ERROR_LENGTH - 1)}…` : source.error;
  return {
    ...source.attributes,
    [DEAD_LETTER_ATTRIBUTES.reason]: source.reason,
    [DEAD_LETTER_ATTRIBUTES.error]: error,
    [DEAD_LETTER_ATTRIBUTES.topic]: source.topic,
    [DEAD_LETTER_ATTRIBUTES.subscription]: source.subscription,
    [DEAD_LETTER_ATTRIBUTES.messageId]: source.messageId,
    [DEAD_LETTER_ATTRIBUTES.deliveryAttempts]: String(source.deliveryAttempts),
    [DEAD_LETTER_ATTRIBUTES.deadLetteredAt]: new Date().toISOString(),
  };
}

/** A handler's failure as one line: an Error's message, or the `message` of what Nest's exception filters emit. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') return (error as { message: string }).message;
  return String(error);
}
