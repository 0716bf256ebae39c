import { JsonLogger } from '../logging/json-logger';
import { tracingDiagnosticsTo } from './run-service';

describe('tracingDiagnosticsTo', () => {
  const lines: Array<Record<string, unknown>> = [];
  const logger = new JsonLogger('grpc-serving', 'log', { write: (line: string) => void lines.push(JSON.parse(line)) });
  const sink = tracingDiagnosticsTo(logger);

  beforeEach(() => (lines.length = 0));

  it("writes the SDK's messages as the service's JSON lines, with context OpenTelemetry and their level", () => {
    sink('error', 'PeriodicExportingMetricReader: export failed {"code":14}');
    sink('warn', 'a warning');
    sink('info', 'started');
    expect(lines).toMatchObject([
      { level: 'error', severity: 'ERROR', service: 'grpc-serving', context: 'OpenTelemetry', message: 'PeriodicExportingMetricReader: export failed {"code":14}' },
      { level: 'warn', context: 'OpenTelemetry', message: 'a warning' },
      { level: 'info', context: 'OpenTelemetry', message: 'started' },
    ]);
  });

  it("keeps to the logger's level and redacts credentials as every line is", () => {
    sink('debug', 'below the level');
    sink('error', 'export to https://user:s3cret@collector.internal:4318/v1/traces failed');
    expect(lines).toHaveLength(1);
    expect(lines[0]['message']).toBe('export to https://user:[REDACTED]@collector.internal:4318/v1/traces failed');
  });
});
