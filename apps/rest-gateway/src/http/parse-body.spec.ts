import { z } from 'zod';
import { InvalidRequestBodyError } from '../errors/invalid-request-body.error';
import { formatPath, parseBody } from './parse-body';

const schema = z.strictObject({ entities: z.array(z.strictObject({ id: z.string() })) });

function rejection(body: unknown): InvalidRequestBodyError {
  try {
    parseBody(schema, body);
  } catch (error) {
    return error as InvalidRequestBodyError;
  }
  throw new Error('expected a rejection');
}

describe('parseBody', () => {
  it('returns the parsed body', () => {
    expect(parseBody(schema, { entities: [{ id: '1' }] })).toEqual({ entities: [{ id: '1' }] });
  });

  it('names the path of each problem', () => {
    const error = rejection({ entities: [{ id: '1' }, { id: 2 }] });
    expect(error).toBeInstanceOf(InvalidRequestBodyError);
    expect(error.reason).toBe('INVALID_REQUEST_BODY');
    expect(error.message).toBe('Invalid request body: entities[1].id: Invalid input: expected string, received number');
  });

  it('lists five problems at most and counts the rest', () => {
    const error = rejection({ entities: Array.from({ length: 8 }, () => ({ id: 0 })) });
    expect(error.message.match(/entities\[\d\]\.id/g)).toHaveLength(5);
    expect(error.message).toMatch(/; and 3 more$/);
  });

  it('says when there is no body at all', () => {
    expect(rejection(undefined).message).toMatch(/No request body: send a JSON object with Content-Type: application\/json/);
    expect(rejection(null).message).toMatch(/^Invalid request body: body: .*expected object, received null/);
  });

  it('formats paths as a client would write them', () => {
    expect(formatPath([])).toBe('body');
    expect(formatPath(['entities', 3, 'customer_id'])).toBe('entities[3].customer_id');
    expect(formatPath(['request_context', 'requested_amount', 'currency'])).toBe('request_context.requested_amount.currency');
  });
});
