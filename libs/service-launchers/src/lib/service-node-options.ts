/**
 * The Node flags each service runs with, wherever it runs: the deployment sets them as NODE_OPTIONS
 * (Terraform, docker-compose; tools/deploy-checks holds those to this list), the local stack and the test
 * harness pass them to the processes they start, so benchmarks measure the services as deployed.
 *
 * The serving apps get a young generation of 64 MiB per semi-space (V8's default is 16): a 100-customer
 * gRPC answer allocates a few MB that die within the call, or within the decision records' next batch, and
 * with the default size scavenges ran every few calls, copying what was still alive each time.
 * `npm run bench:hot-path -- --only grpc`, alternating runs: 100-customer CPU per call, default
 * 4.7-7.5 ms against 64 MiB 3.2-3.5 ms (and 128 MiB 1.6-5.0 ms), each young generation up to 128 MiB more
 * resident. The batch-processor keeps the default: its peak RSS rose 508 -> 616 MB at 300,000 customers,
 * over the 512 MB it is held to, for no measured gain; so does the cdc-ingestor (no change in its CPU per
 * applied change in `npm run bench:freshness`).
 */
export const SERVICE_NODE_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  'rest-gateway': ['--max-semi-space-size=64'],
  'grpc-serving': ['--max-semi-space-size=64'],
};

/** The Node flags of `app` (none for an app the list does not name). */
export function serviceNodeOptions(app: string): readonly string[] {
  return SERVICE_NODE_OPTIONS[app] ?? [];
}
