import { Catch, type RpcExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';

/**
 * Hands a message handler's own error to the transport. Nest's default filter turns any error that is not
 * an RpcException into `{ status: 'error', message: 'Internal server error' }`: the message would still be
 * redelivered and dead-lettered, but its dead letter would not say what went wrong. Bind it on the
 * controllers of `@EventPattern` handlers: `@UseFilters(MessageHandlerExceptionFilter)`.
 */
@Catch()
export class MessageHandlerExceptionFilter implements RpcExceptionFilter {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}
