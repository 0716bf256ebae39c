import type { RateLimitDecision } from '@bnpl/access-control';

/** The reply methods used (Fastify's reply has them): a subset, so the function is testable alone. */
export interface HeaderTarget {
  header(name: string, value: string | number): unknown;
}

/**
 * The rate-limit headers of the IETF httpapi draft (RateLimit-Limit, -Remaining, -Reset in seconds,
 * -Policy with the window), and Retry-After (seconds, at least 1) on a refusal.
 */
export function setRateLimitHeaders(reply: HeaderTarget, decision: RateLimitDecision, windowSeconds: number): void {
  reply.header('ratelimit-limit', decision.limit);
  reply.header('ratelimit-remaining', decision.remaining);
  reply.header('ratelimit-reset', Math.max(0, Math.ceil(decision.resetMs / 1000)));
  reply.header('ratelimit-policy', `${decision.limit};w=${windowSeconds}`);
  if (!decision.allowed) reply.header('retry-after', Math.max(1, Math.ceil(decision.retryAfterMs / 1000)));
}
