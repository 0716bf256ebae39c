// Public API of @bnpl/access-control-redis: the shared RateBudget of the per-key rate limits in Redis,
// counted by rate-limiter-flexible. ioredis and rate-limiter-flexible are loaded when a budget is built.
export { RedisRateBudget, type RedisRateBudgetOptions } from './lib/redis-rate-budget';
