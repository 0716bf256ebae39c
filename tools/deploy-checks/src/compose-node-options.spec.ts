import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICE_NODE_OPTIONS } from '@bnpl/service-launchers';
import { WORKSPACE_ROOT } from '@bnpl/testing';

/** Each top-level service of a compose file and its `NODE_OPTIONS`, read from the text (no YAML parser is a dependency). */
function composeNodeOptions(text: string): Map<string, string | undefined> {
  const services = new Map<string, string | undefined>();
  let current: string | undefined;
  for (const line of text.split('\n')) {
    const service = /^ {2}([a-z][a-z0-9-]*):\s*$/.exec(line);
    if (service) {
      current = service[1];
      services.set(current, undefined);
    } else if (/^\S/.test(line)) current = undefined;
    const option = /^ {6}NODE_OPTIONS:\s*(.+?)\s*$/.exec(line);
    if (option && current !== undefined) services.set(current, option[1]);
  }
  return services;
}

describe('docker-compose.yml', () => {
  it('runs each service with the Node flags the local stack and the benchmarks run it with', () => {
    const services = composeNodeOptions(readFileSync(join(WORKSPACE_ROOT, 'docker-compose.yml'), 'utf8'));
    for (const app of ['rest-gateway', 'grpc-serving', 'batch-processor', 'cdc-ingestor']) {
      expect({ app, options: services.get(app) }).toEqual({ app, options: SERVICE_NODE_OPTIONS[app]?.join(' ') });
    }
  });

  it('reads a service block that sets it, and one that does not', () => {
    const text = 'services:\n  a:\n    environment:\n      NODE_OPTIONS: --x=1\n  b:\n    image: b\nvolumes:\n  c:\n';
    expect([...composeNodeOptions(text)]).toEqual([
      ['a', '--x=1'],
      ['b', undefined],
      ['c', undefined],
    ]);
  });
});
