import { type Meter } from '@opentelemetry/api';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { RuntimeNodeInstrumentation } from '@opentelemetry/instrumentation-runtime-node';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { answerRenderRequests, collectPoolMetrics, inWorkerPool } from '../cluster/pool-messages';
import { RequestHistogram } from './request-histogram';

/**
 * One service's OpenTelemetry meter, exposed in the Prometheus text format on the service's own HTTP
 * port (`GET /metrics`) rather than on the exporter's separate port: one port per service is what Cloud
 * Run and the probes expect.
 *
 * It also carries the Node runtime's metrics (OpenTelemetry's runtime-node instrumentation): event-loop
 * delay percentiles and utilization, GC durations by kind, V8 heap by space. They sample in the background
 * (the event-loop delay at 10 ms resolution), not on the request path.
 *
 * In a worker pool (SERVING_WORKERS > 1) a scrape reaches one worker: `render` then gives every worker's
 * metrics, merged by the pool's primary, each series labelled with its `worker`.
 */
export class MetricsRegistry {
  readonly meter: Meter;
  readonly #provider: MeterProvider;
  readonly #exporter: PrometheusExporter;
  readonly #runtime: RuntimeNodeInstrumentation;
  readonly #requestHistograms: RequestHistogram[] = [];
  // No target_info / scope info series: Prometheus adds job and instance labels itself.
  readonly #serializer = new PrometheusSerializer(undefined, false, undefined, true, true);
  /** In a pool: stops answering the primary's render requests. */
  readonly #leavePool: (() => void) | null;

  constructor(service: string) {
    this.#exporter = new PrometheusExporter({ preventServerStart: true });
    this.#provider = new MeterProvider({ readers: [this.#exporter] });
    this.meter = this.#provider.getMeter(service);
    this.#runtime = new RuntimeNodeInstrumentation({ enabled: false });
    this.#runtime.setMeterProvider(this.#provider);
    this.#runtime.enable();
    this.#leavePool = inWorkerPool() ? answerRenderRequests(() => this.renderOwn()) : null;
  }

  /**
   * A histogram for the request path (see RequestHistogram: far cheaper to observe than an OpenTelemetry
   * histogram), served on /metrics with the rest. One per name.
   */
  requestHistogram(name: string, help: string, labelNames: readonly string[], bounds: readonly number[]): RequestHistogram {
    if (this.#requestHistograms.some((h) => h.name === name)) throw new Error(`request histogram ${name} exists already`);
    const histogram = new RequestHistogram(name, help, labelNames, bounds);
    this.#requestHistograms.push(histogram);
    return histogram;
  }

  /** The current values of every instrument (of every worker, in a pool), in the Prometheus text exposition format. */
  async render(): Promise<string> {
    return this.#leavePool ? collectPoolMetrics() : this.renderOwn();
  }

  /** This process's own instruments, in the Prometheus text exposition format. */
  async renderOwn(): Promise<string> {
    const { resourceMetrics } = await this.#exporter.collect();
    return this.#serializer.serialize(resourceMetrics) + this.#requestHistograms.map((h) => h.render()).join('');
  }

  async shutdown(): Promise<void> {
    this.#leavePool?.();
    this.#runtime.disable();
    await this.#provider.shutdown();
  }
}
