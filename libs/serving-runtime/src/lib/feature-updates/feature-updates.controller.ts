import { Catch, Controller, Inject, UseFilters, type RpcExceptionFilter, type Type } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { throwError, type Observable } from 'rxjs';
import { FeatureUpdateInvalidator, type ChangedEntities } from './feature-update-invalidator';

/** The topic of feature-update events as this lib needs it: `featureUpdatesTopic` of @bnpl/messaging fits. */
export interface FeatureUpdatesTopic {
  /** The topic's name: the `@EventPattern` of the handler. */
  readonly name: string;
  /** Only its type matters here: the topic's payload must carry what an invalidation needs. */
  decode(data: Uint8Array): ChangedEntities;
}

/**
 * Hands a handler's error to the messaging transport as it is. The app's global filters would otherwise
 * catch it (`inheritAppConfig`), and rest-gateway's problem+json filter only knows HTTP. This is what
 * @bnpl/messaging's MessageHandlerExceptionFilter does; an adapter lib may not import another.
 */
@Catch()
class PassToTransportFilter implements RpcExceptionFilter {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}

/**
 * The `@EventPattern(topic.name)` controller of feature-update events. A class made per topic because a
 * decorator needs the topic's name when the class is defined, and the topic comes from the app.
 */
export function featureUpdatesController(topic: FeatureUpdatesTopic): Type<unknown> {
  @Controller()
  @UseFilters(new PassToTransportFilter())
  class FeatureUpdatesController {
    constructor(@Inject(FeatureUpdateInvalidator) private readonly invalidator: FeatureUpdateInvalidator) {}

    @EventPattern(topic.name)
    onFeatureUpdate(@Payload() update: ChangedEntities): void {
      this.invalidator.invalidate(update);
    }
  }
  return FeatureUpdatesController;
}
