import { join } from 'node:path';

/** The four services, their entry points and the ports the local stack gives them. */
export interface ServiceSpec {
  name: 'rest-gateway' | 'grpc-serving' | 'batch-processor' | 'cdc-ingestor';
  /** Env variables (and defaults) for its ports; the first is the HTTP port serving /health. */
  ports: Array<{ variable: string; value: number }>;
  /** Exported start function in apps/<name>/src/bootstrap.ts. */
  startFunction: string;
  /** Exported config loader in apps/<name>/src/config.ts (validates the environment it is given). */
  configFunction: string;
}

export const SERVICES: ServiceSpec[] = [
  { name: 'rest-gateway', ports: [{ variable: 'PORT', value: 3000 }], startFunction: 'startRestGateway', configFunction: 'loadRestGatewayConfig' },
  {
    name: 'grpc-serving',
    ports: [
      { variable: 'HTTP_PORT', value: 3003 },
      { variable: 'GRPC_PORT', value: 50051 },
    ],
    startFunction: 'startGrpcServing',
    configFunction: 'loadGrpcServingConfig',
  },
  { name: 'batch-processor', ports: [{ variable: 'PORT', value: 3001 }], startFunction: 'startBatchProcessor', configFunction: 'loadBatchProcessorConfig' },
  { name: 'cdc-ingestor', ports: [{ variable: 'PORT', value: 3002 }], startFunction: 'startCdcIngestor', configFunction: 'loadCdcIngestorConfig' },
];

export function appDir(root: string, name: ServiceSpec['name']): string {
  return join(root, 'apps', name, 'src');
}
