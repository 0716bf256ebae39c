import { context, diag, trace } from '@opentelemetry/api';
import { core, node } from '@opentelemetry/sdk-node';
import { BUFFERED_DIAGNOSTICS, diagnosticText, installTracingDiagnostics, MAX_DIAGNOSTIC_LENGTH, routeTracingDiagnostics, SDK_FAILURE, TracingDiagnostics, type DiagnosticLevel } from './tracing-diagnostics';

type Line = [DiagnosticLevel, string];

describe('TracingDiagnostics', () => {
  it('keeps what arrives before the logger exists and hands it over, in order, when routed', () => {
    const diagnostics = new TracingDiagnostics();
    diagnostics.warn('early warning');
    diagnostics.error('early error');
    const lines: Line[] = [];
    diagnostics.route((level, message) => lines.push([level, message]));
    diagnostics.info('later');
    expect(lines).toEqual([
      ['warn', 'early warning'],
      ['error', 'early error'],
      ['info', 'later'],
    ]);
  });

  it('keeps a bounded number before routing and says how many it dropped', () => {
    const diagnostics = new TracingDiagnostics();
    for (let i = 0; i < BUFFERED_DIAGNOSTICS + 3; i++) diagnostics.error(`failure ${i}`);
    const lines: Line[] = [];
    diagnostics.route((level, message) => lines.push([level, message]));
    expect(lines).toHaveLength(BUFFERED_DIAGNOSTICS + 1);
    expect(lines[0]).toEqual(['warn', '3 earlier OpenTelemetry diagnostics were dropped before the logger existed']);
    expect(lines[1]).toEqual(['error', 'failure 0']);
    expect(lines[BUFFERED_DIAGNOSTICS]).toEqual(['error', `failure ${BUFFERED_DIAGNOSTICS - 1}`]);
  });

  it('reports verbose messages as debug', () => {
    const diagnostics = new TracingDiagnostics();
    const lines: Line[] = [];
    diagnostics.route((level, message) => lines.push([level, message]));
    diagnostics.verbose('detail');
    diagnostics.debug('more');
    expect(lines).toEqual([
      ['debug', 'detail'],
      ['debug', 'more'],
    ]);
  });
});

describe('diagnosticText', () => {
  it('joins the message and its arguments on one line: errors by name and message, objects as JSON', () => {
    const error = new Error('connect ECONNREFUSED\n  at somewhere');
    expect(diagnosticText('export failed', [error, { code: 14 }, 'retrying', undefined])).toBe('export failed Error: connect ECONNREFUSED at somewhere {"code":14} retrying');
  });

  it("adds an error's code unless its message names it", () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4318'), { code: 'ECONNREFUSED' });
    const unavailable = Object.assign(new Error('14 UNAVAILABLE: no connection'), { name: 'OTLPExporterError', code: 503 });
    expect(diagnosticText('failed', [refused, unavailable])).toBe('failed Error: connect ECONNREFUSED 127.0.0.1:4318 OTLPExporterError: 14 UNAVAILABLE: no connection (code 503)');
  });

  it('falls back to String for what JSON cannot hold', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(diagnosticText('odd', [cyclic, 10n])).toBe('odd [object Object] 10');
  });

  it('cuts a long message to a bound', () => {
    const text = diagnosticText('x'.repeat(MAX_DIAGNOSTIC_LENGTH * 2), []);
    expect(text).toHaveLength(MAX_DIAGNOSTIC_LENGTH + 3);
    expect(text.endsWith('...')).toBe(true);
  });
});

describe('installTracingDiagnostics', () => {
  afterEach(() => diag.disable());

  it("routes the API's diag messages at and above the level to the sink", () => {
    const lines: Line[] = [];
    routeTracingDiagnostics((level, message) => lines.push([level, message]));
    installTracingDiagnostics('warn', core.setGlobalErrorHandler);
    diag.info('not at warn');
    diag.warn('a warning');
    diag.error('an export failed', new Error('timeout'));
    expect(lines).toEqual([
      ['warn', 'a warning'],
      ['error', 'an export failed Error: timeout'],
    ]);
  });

  it("reports the SDK's background failures (a failed export) as one error line", () => {
    const lines: Line[] = [];
    routeTracingDiagnostics((level, message) => lines.push([level, message]));
    installTracingDiagnostics('warn', core.setGlobalErrorHandler);
    core.globalErrorHandler(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4318'), { code: 'ECONNREFUSED' }));
    expect(lines).toEqual([['error', `${SDK_FAILURE} Error: connect ECONNREFUSED 127.0.0.1:4318`]]);
  });

  it('hands a message over outside the trace that was active when it was reported', () => {
    // A real context manager, as a traced service has: an export's failure surfaces in the context of the
    // request that armed the export's timer.
    new node.NodeTracerProvider().register();
    try {
      const seen: Array<string | undefined> = [];
      routeTracingDiagnostics(() => seen.push(trace.getActiveSpan()?.spanContext().traceId));
      installTracingDiagnostics('warn', core.setGlobalErrorHandler);
      const active = trace.getTracer('test').startActiveSpan('request', (span) => {
        diag.error('export failed');
        span.end();
        return span.spanContext().traceId;
      });
      expect(active).toMatch(/^[0-9a-f]{32}$/);
      expect(seen).toEqual([undefined]);
    } finally {
      trace.disable();
      context.disable();
    }
  });

  it('routes nothing at none', () => {
    const lines: Line[] = [];
    routeTracingDiagnostics((level, message) => lines.push([level, message]));
    installTracingDiagnostics('none', core.setGlobalErrorHandler);
    diag.error('dropped');
    expect(lines).toEqual([]);
  });
});
