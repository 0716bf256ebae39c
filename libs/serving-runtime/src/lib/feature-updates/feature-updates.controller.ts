import { Controller, Inject, UseFilters, type Type } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { type Topic } from '@bnpl/messaging';
import { MessageHandlerExceptionFilter } from '@bnpl/messaging-nest';
import { FeatureUpdateInvalidator, type ChangedEntities } from './feature-update-invalidator';

/**
 * The topic of feature-update events as this lib needs it: its name (the `@EventPattern`) and a decoder
 * whose payload carries what an invalidation needs. `featureUpdatesTopic` of @bnpl/messaging is the one
 * the apps use; tests pass a topic of their own name.
 */
export type FeatureUpdatesTopic = Pick<Topic<ChangedEntities>, 'name' | 'decode'>;

/**
 * The `@EventPattern(topic.name)` controller of feature-update events. A class made per topic because a
 * decorator needs the topic's name when the class is defined, and the topic comes from the app.
 */
export function featureUpdatesController(topic: FeatureUpdatesTopic): Type<unknown> {
  @Controller()
  // A handler's error goes to the transport as it is (redelivery, then dead letter with its reason), not to
  // the app's global filters (rest-gateway's problem+json filter only knows HTTP).
  @UseFilters(new MessageHandlerExceptionFilter())
  class FeatureUpdatesController {
    constructor(@Inject(FeatureUpdateInvalidator) private readonly invalidator: FeatureUpdateInvalidator) {}

    @EventPattern(topic.name)
    onFeatureUpdate(@Payload() update: ChangedEntities): void {
      this.invalidator.invalidate(update);
    }
  }
  return FeatureUpdatesController;
}
