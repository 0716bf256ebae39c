import { Controller, Inject, UseFilters } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { KeyRevocationNotifier } from '@bnpl/access-control';
import { keyRevocationsTopic, type KeyRevocation, type MessagePublisher } from '@bnpl/messaging';
import { MessageHandlerExceptionFilter } from '@bnpl/messaging-nest';
import { instanceSubscriptionName } from '@bnpl/serving-runtime';
import { ACCESS_CONTROL } from './access-control.tokens';
import { type AccessControl } from './access-control';

/** Drops each revoked or rotated key from this instance's key cache (`@EventPattern(bnpl.auth.key-revocations)`). */
@Controller()
// A handler's error goes to the transport (redelivery, dead letter), not to the app's HTTP error filter.
@UseFilters(new MessageHandlerExceptionFilter())
export class KeyRevocationsController {
  constructor(@Inject(ACCESS_CONTROL) private readonly access: AccessControl) {}

  @EventPattern(keyRevocationsTopic.name)
  onKeyRevocation(@Payload() revocation: KeyRevocation): void {
    this.access.invalidateKey(revocation.keyId);
  }
}

/**
 * The subscription binding of an app's key-revocation events: one subscription per instance (each must
 * drop every revoked key), ephemeral, with one dead-letter topic for the app. Add it to the app's
 * `messaging.transport([...])`, beside its feature-update binding.
 *
 * @param app the service's name, e.g. `rest-gateway`
 */
export function keyRevocationsBinding(app: string) {
  const prefix = `${app}.key-revocations`;
  return { topic: keyRevocationsTopic, subscription: instanceSubscriptionName(prefix), ephemeral: true, deadLetterTopic: `${prefix}.dlq` } as const;
}

/** Announces revocations on `bnpl.auth.key-revocations`. */
export class PublishingKeyRevocationNotifier implements KeyRevocationNotifier {
  constructor(private readonly publisher: MessagePublisher) {}

  async keyRevoked(keyId: string, at: Date): Promise<void> {
    await this.publisher.publish(keyRevocationsTopic, { keyId, revokeTime: at });
  }
}
