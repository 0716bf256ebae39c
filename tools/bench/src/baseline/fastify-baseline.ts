/**
 * The baseline: a bare Fastify server answering the REST feature read from memory, run as its own process
 * by the benchmark. It costs what Fastify alone costs (routing, query parsing, JSON serialization, HTTP)
 * and nothing of the feature store, so rest-gateway's throughput is judged as a share of it, on the same
 * machine in the same run.
 *
 * Environment: BASELINE_PORT, and BASELINE_BODIES, a JSON file of `[key, body]` pairs captured from
 * rest-gateway: customer id N gets the body stored under N % (number of bodies).
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const port = Number(process.env.BASELINE_PORT);
const bodiesFile = process.env.BASELINE_BODIES;
if (!Number.isInteger(port) || !bodiesFile) {
  process.stderr.write('fastify-baseline: set BASELINE_PORT and BASELINE_BODIES\n');
  process.exit(2);
}

// Parsed objects, not strings: rest-gateway serializes its answer on every request, and so does this.
const bodies = new Map<number, unknown>(JSON.parse(readFileSync(bodiesFile, 'utf8')) as Array<[number, unknown]>);
const app = Fastify({ logger: false });

app.get<{ Params: { customerId: string } }>('/v1/customers/:customerId/features', async (request, reply) => {
  const id = Number(request.params.customerId);
  const body = Number.isSafeInteger(id) && id > 0 ? bodies.get(id % bodies.size) : undefined;
  if (body === undefined) return reply.code(404).send({ status: 404 });
  return body;
});

app.listen({ host: '127.0.0.1', port }).then(
  () => process.stdout.write(`fastify-baseline listening on 127.0.0.1:${port} with ${bodies.size} bodies\n`),
  (error: Error) => {
    process.stderr.write(`fastify-baseline: ${error.message}\n`);
    process.exit(1);
  },
);
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void app.close().then(() => process.exit(0)));
