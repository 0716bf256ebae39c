import { z } from 'zod';

/** RFC 9457 problem details, plus our stable `reason` (the same one gRPC clients get). */
export const problemSchema = z
  .strictObject({
    type: z.string().describe('URI of the problem type: one per reason.'),
    title: z.string().describe('The HTTP status text.'),
    status: z.int().describe('The HTTP status code.'),
    detail: z.string().describe('What was wrong, naming the field, feature, service or id at fault.'),
    reason: z
      .string()
      .regex(/^[A-Z0-9_]+$/)
      .describe('Stable UPPER_SNAKE code, the same as the gRPC error reason: clients may branch on it.'),
    instance: z.string().describe('The request path (empty when the request could not even be parsed).'),
  })
  .describe('An error, as RFC 9457 problem details (`application/problem+json`).');

/** A problem+json body. */
export type Problem = z.infer<typeof problemSchema>;
