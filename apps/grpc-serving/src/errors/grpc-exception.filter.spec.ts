import { status } from '@grpc/grpc-js';
import { InvalidRequestInputError, MAX_ERROR_MESSAGE_LENGTH, UnknownFeatureError, UnknownFeatureServiceError, FeatureComputationError } from '@bnpl/feature-definitions';
import { FeaturesUnavailableError, InvalidFeatureRequestError } from '@bnpl/serving';
import { lastValueFrom } from 'rxjs';
import { GrpcExceptionFilter, toGrpcStatus } from './grpc-exception.filter';
import { ResourceNotFoundError } from './resource-not-found.error';

const reasonOf = (s: ReturnType<typeof toGrpcStatus>) => s.metadata.get('reason');

describe('toGrpcStatus', () => {
  it('maps bad input to INVALID_ARGUMENT with the message and the reason in trailing metadata', () => {
    const s = toGrpcStatus(new InvalidFeatureRequestError('TOO_MANY_ENTITY_ROWS', 'Too many entity rows: 1001, at most 1000 per request'));
    expect(s).toMatchObject({ code: status.INVALID_ARGUMENT, details: 'Too many entity rows: 1001, at most 1000 per request' });
    expect(reasonOf(s)).toEqual(['TOO_MANY_ENTITY_ROWS']);
    expect(toGrpcStatus(new InvalidRequestInputError('requested_amount', 'required')).code).toBe(status.INVALID_ARGUMENT);
  });

  it('bounds details that quote huge input, so that the trailer always fits and the status reaches the client', () => {
    const huge = 'x'.repeat(4 * 1024 * 1024);
    for (const error of [new UnknownFeatureError(huge), new InvalidFeatureRequestError('INVALID_ENTITY_ROW', `unknown join key "${huge}"`), new ResourceNotFoundError(new UnknownFeatureServiceError(huge))]) {
      const s = toGrpcStatus(error);
      expect(s.details.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_LENGTH);
      expect(s.details).toMatch(/^Unknown feature|^unknown join key/);
    }
  });

  it('maps a dependency outage to UNAVAILABLE (retryable), keeping its message', () => {
    const s = toGrpcStatus(new FeaturesUnavailableError('the online store is unavailable and the source could not be read'));
    expect(s).toMatchObject({ code: status.UNAVAILABLE, details: expect.stringContaining('could not be read') });
    expect(reasonOf(s)).toEqual(['FEATURES_UNAVAILABLE']);
  });

  it('maps our own data errors to INTERNAL without their message, keeping the reason', () => {
    const s = toGrpcStatus(new FeatureComputationError('VALUE_OUT_OF_RANGE', 'customer 7: sum 9007199254740993 is beyond 2^53'));
    expect(s).toMatchObject({ code: status.INTERNAL, details: 'internal error' });
    expect(reasonOf(s)).toEqual(['VALUE_OUT_OF_RANGE']);
  });

  it('maps a resource the call names that does not exist to NOT_FOUND with the cause reason', () => {
    const s = toGrpcStatus(new ResourceNotFoundError(new UnknownFeatureServiceError('credit_decision_v9')));
    expect(s).toMatchObject({ code: status.NOT_FOUND, details: 'Unknown feature service "credit_decision_v9"' });
    expect(reasonOf(s)).toEqual(['UNKNOWN_FEATURE_SERVICE']);
  });

  it('maps anything unexpected to INTERNAL with a generic message', () => {
    for (const error of [new TypeError('secret detail'), 'a string', undefined]) {
      const s = toGrpcStatus(error);
      expect(s).toMatchObject({ code: status.INTERNAL, details: 'internal error' });
      expect(reasonOf(s)).toEqual(['INTERNAL']);
    }
  });
});

describe('GrpcExceptionFilter', () => {
  it('fails the call with the status (never Nest default UNKNOWN)', async () => {
    const filter = new GrpcExceptionFilter();
    await expect(lastValueFrom(filter.catch(new InvalidFeatureRequestError('EMPTY_ENTITY_ROWS', 'No entity rows')))).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: 'No entity rows',
    });
  });
});
