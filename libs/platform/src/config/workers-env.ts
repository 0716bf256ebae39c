import { z } from 'zod';
import { env } from './load-config';

/** Most worker processes one instance may run: far more than any machine it is sized for has cores. */
export const MAX_SERVING_WORKERS = 64;

/**
 * `SERVING_WORKERS`: how many processes one instance of a serving app runs on its ports (default 1, no
 * pool). Set it to the instance's vCPUs: Node runs JavaScript on one core per process.
 */
export const workersEnvSchema = z.object({
  SERVING_WORKERS: env.positiveInt(1).refine((n) => n <= MAX_SERVING_WORKERS, `must be at most ${MAX_SERVING_WORKERS}`),
});
