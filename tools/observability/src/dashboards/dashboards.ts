import { join } from 'node:path';
import { dashboard, type DashboardSpec, type PanelSpec, type RowSpec } from './grafana';

// The dashboards provisioned by the docker-compose stack (deploy/observability/grafana/dashboards), one
// overview and one per service, generated from here: `npx nx run observability-checks:write-dashboards`.
// Every metric they name is checked against what the services export (tools/observability e2e suite).

const RATE = '$__rate_interval';
/** The REST routes that read features (what the REST SLOs count). */
const REST_READS = '/v1/customers/:customerId/features|/v1/features/online|/get-online-features';
const GRPC_READ = 'bnpl.featurestore.v1.FeatureServingService/GetOnlineFeatures';
/** Probes and scrapes: left out of latency and throughput panels. */
const NOT_PROBES = 'route!~"/health/.*|/metrics"';

const BREAKER_TEXT = { 0: { text: 'closed', color: 'green' }, 1: { text: 'half-open', color: 'orange' }, 2: { text: 'open', color: 'red' } } as const;

const sel = (job: string, extra = '') => `job="${job}", instance=~"$instance"${extra ? `, ${extra}` : ''}`;

function httpRow(job: string, title = 'HTTP requests'): RowSpec {
  const metric = 'bnpl_http_server_request_duration_seconds';
  return {
    title,
    panels: [
      { title: 'Requests per second by route and status class', unit: 'reqps', stacked: true, queries: [{ expr: `sum by (route, status_class) (rate(${metric}_count{${sel(job, NOT_PROBES)}}[${RATE}]))`, legend: '{{route}} {{status_class}}' }] },
      {
        title: 'Latency by route (p50, p95, p99)',
        unit: 's',
        queries: [0.5, 0.95, 0.99].map((q) => ({ expr: `histogram_quantile(${q}, sum by (le, route) (rate(${metric}_bucket{${sel(job, NOT_PROBES)}}[${RATE}])))`, legend: `p${q * 100} {{route}}` })),
      },
      {
        title: 'Errors: share of requests answered 4xx and 5xx',
        unit: 'percentunit',
        queries: ['4xx', '5xx'].map((status) => ({
          expr: `sum(rate(${metric}_count{${sel(job, `${NOT_PROBES}, status_class="${status}"`)}}[${RATE}])) / sum(rate(${metric}_count{${sel(job, NOT_PROBES)}}[${RATE}]))`,
          legend: status,
        })),
      },
      { title: 'Errors per second by route (5xx)', unit: 'reqps', queries: [{ expr: `sum by (route) (rate(${metric}_count{${sel(job, 'status_class="5xx"')}}[${RATE}]))`, legend: '{{route}}' }] },
    ],
  };
}

function grpcRow(job: string): RowSpec {
  const metric = 'bnpl_grpc_server_request_duration_seconds';
  return {
    title: 'gRPC calls',
    panels: [
      { title: 'Calls per second by method and code', unit: 'reqps', stacked: true, queries: [{ expr: `sum by (rpc, code) (rate(${metric}_count{${sel(job, 'rpc!~"grpc.health.*"')}}[${RATE}]))`, legend: '{{rpc}} {{code}}' }] },
      {
        title: 'Latency by method (p50, p95, p99)',
        unit: 's',
        queries: [0.5, 0.95, 0.99].map((q) => ({ expr: `histogram_quantile(${q}, sum by (le, rpc) (rate(${metric}_bucket{${sel(job, 'rpc!~"grpc.health.*"')}}[${RATE}])))`, legend: `p${q * 100} {{rpc}}` })),
      },
      {
        title: 'Errors: share of calls failed by the caller and by the server',
        unit: 'percentunit',
        queries: ['client_error', 'server_error'].map((status) => ({
          expr: `sum(rate(${metric}_count{${sel(job, `status_class="${status}"`)}}[${RATE}])) / sum(rate(${metric}_count{${sel(job)}}[${RATE}]))`,
          legend: status,
        })),
      },
      { title: 'Failed calls per second by code', unit: 'reqps', queries: [{ expr: `sum by (code) (rate(${metric}_count{${sel(job, 'code!="OK"')}}[${RATE}]))`, legend: '{{code}}' }] },
    ],
  };
}

function readPathRows(job: string): RowSpec[] {
  const ratio = (hits: string, misses: string) => `sum(rate(${hits}{${sel(job)}}[${RATE}])) / (sum(rate(${hits}{${sel(job)}}[${RATE}])) + sum(rate(${misses}{${sel(job)}}[${RATE}])))`;
  return [
    {
      title: 'Read path: caches and fallback',
      panels: [
        {
          title: 'Hit ratio: L1, Redis (of what L1 missed), online store overall',
          unit: 'percentunit',
          max: 1,
          queries: [
            { expr: ratio('bnpl_online_store_l1_hits_total', 'bnpl_online_store_l1_misses_total'), legend: 'L1' },
            { expr: ratio('bnpl_online_store_backend_hits_total', 'bnpl_online_store_backend_misses_total'), legend: 'Redis' },
            { expr: ratio('bnpl_serving_online_hits_total', 'bnpl_serving_online_misses_total'), legend: 'online store (L1 + Redis)' },
          ],
        },
        {
          title: 'L1 evictions per second and entries held',
          unit: 'short',
          queries: [
            { expr: `sum(rate(bnpl_online_store_l1_evictions_total{${sel(job)}}[${RATE}]))`, legend: 'evictions/s' },
            { expr: `sum(bnpl_online_store_l1_entries{${sel(job)}})`, legend: 'entries' },
          ],
        },
        {
          title: 'PostgreSQL fallback: reads and failures per second',
          unit: 'ops',
          queries: [
            { expr: `sum(rate(bnpl_serving_source_reads_total{${sel(job)}}[${RATE}]))`, legend: 'source reads' },
            { expr: `sum(rate(bnpl_serving_source_failures_total{${sel(job)}}[${RATE}]))`, legend: 'source failures' },
            { expr: `sum(rate(bnpl_serving_online_failures_total{${sel(job)}}[${RATE}]))`, legend: 'online store failures' },
            { expr: `sum(rate(bnpl_serving_refilled_rows_total{${sel(job)}}[${RATE}]))`, legend: 'rows refilled' },
          ],
        },
        {
          title: 'Breakers (worst instance)',
          kind: 'stat',
          valueText: BREAKER_TEXT,
          thresholds: [[null, 'green'], [1, 'orange'], [2, 'red']],
          queries: [{ expr: `max by (dependency) (bnpl_serving_breaker_state{${sel(job)}})`, legend: '{{dependency}}' }],
        },
      ],
    },
    {
      title: 'Feature-update events',
      panels: [
        {
          title: 'Events applied and entities dropped from the caches per second',
          unit: 'ops',
          queries: [
            { expr: `sum(rate(bnpl_serving_feature_update_events_total{${sel(job)}}[${RATE}]))`, legend: 'events' },
            { expr: `sum(rate(bnpl_serving_invalidated_keys_total{${sel(job)}}[${RATE}]))`, legend: 'entities invalidated' },
          ],
        },
        messagingPanel(job),
      ],
    },
  ];
}

function messagingPanel(job: string): PanelSpec {
  return {
    title: 'Messages handled per second by topic and outcome',
    unit: 'ops',
    queries: [{ expr: `sum by (topic, outcome) (rate(bnpl_messaging_messages_total{${sel(job)}}[${RATE}]))`, legend: '{{topic}} {{outcome}}' }],
  };
}

function runtimeRow(job: string): RowSpec {
  return {
    title: 'Node runtime',
    panels: [
      { title: 'Event-loop delay p99 and p50', unit: 's', thresholds: [[null, 'green'], [0.1, 'red']], queries: [{ expr: `nodejs_eventloop_delay_p99{${sel(job)}}`, legend: 'p99 {{instance}}' }, { expr: `nodejs_eventloop_delay_p50{${sel(job)}}`, legend: 'p50 {{instance}}' }] },
      { title: 'Event-loop utilization', unit: 'percentunit', max: 1, queries: [{ expr: `nodejs_eventloop_utilization{${sel(job)}}`, legend: '{{instance}}' }] },
      { title: 'V8 heap used', unit: 'bytes', queries: [{ expr: `sum by (instance) (v8js_memory_heap_used{${sel(job)}})`, legend: '{{instance}}' }] },
      { title: 'Time in GC per second by kind', unit: 's', queries: [{ expr: `sum by (instance, v8js_gc_type) (rate(v8js_gc_duration_sum{${sel(job)}}[${RATE}]))`, legend: '{{instance}} {{v8js_gc_type}}' }] },
    ],
  };
}

/** What the model saw, from the decision records (serving instances count as each record is sealed). */
function decisionsRow(job?: string): RowSpec {
  const where = job ? sel(job) : '';
  /** One service's dashboard splits by instance, the overview by service. */
  const per = job ? 'instance' : 'job';
  return {
    title: 'Decisions: what the model saw and the records',
    panels: [
      {
        title: 'Share of served values not PRESENT, by feature and status',
        description: 'DEFAULT (no row), STALE (older than the view\'s TTL), MISSING: each a share of that feature\'s served values. A rise is a model fed with fallbacks.',
        unit: 'percentunit',
        queries: [{ expr: `sum by (feature, status) (rate(bnpl_decision_feature_status_total{${where}${where ? ', ' : ''}status!="PRESENT"}[${RATE}])) / on (feature) group_left () sum by (feature) (rate(bnpl_decision_feature_status_total{${where}}[${RATE}]))`, legend: '{{feature}} {{status}}' }],
      },
      {
        title: 'Served utilization (p50, p90, p99)',
        description: 'customer_exposure:utilization as served (DECISIONS_METRIC_FEATURES).',
        unit: 'percentunit',
        queries: [0.5, 0.9, 0.99].map((q) => ({ expr: `histogram_quantile(${q}, sum by (le, feature) (rate(bnpl_decision_served_ratio_bucket{${where}}[${RATE}])))`, legend: `p${q * 100} {{feature}}` })),
      },
      {
        title: 'Served exposure in minor units (p50, p90)',
        description: 'Outstanding balance and credit limit as served (money features in DECISIONS_METRIC_FEATURES), by currency.',
        unit: 'short',
        queries: [0.5, 0.9].map((q) => ({ expr: `histogram_quantile(${q}, sum by (le, feature, currency) (rate(bnpl_decision_served_amount_minor_bucket{${where}}[${RATE}])))`, legend: `p${q * 100} {{feature}} {{currency}}` })),
      },
      {
        title: 'Decision records: recorded, published, dropped, rejected per second; held',
        description: 'dropped: served without a record (DECISIONS_ON_BACKLOG=drop); rejected: refused with 503 / UNAVAILABLE (reject). Both should stay at 0.',
        unit: 'ops',
        queries: [
          ...['recorded', 'published', 'dropped', 'rejected'].map((what) => ({ expr: `sum by (${per}) (rate(bnpl_decisions_${what}_total{${where}}[${RATE}]))`, legend: `${what} {{${per}}}` })),
          { expr: `sum by (${per}) (bnpl_decisions_pending{${where}})`, legend: `held {{${per}}}` },
        ],
      },
    ],
  };
}

/** The risk engine's outcomes, posted to the decisions API and counted by the batch-processor's decisions service. */
const outcomesRow: RowSpec = {
  title: 'Outcomes: approval rate and decline reasons',
  panels: [
    {
      title: 'Approval rate (outcomes posted over 1 h)',
      kind: 'stat',
      width: 6,
      unit: 'percentunit',
      queries: [{ expr: 'sum(increase(bnpl_decision_outcomes_total{decision="approved"}[1h])) / sum(increase(bnpl_decision_outcomes_total[1h]))', legend: 'approved' }],
    },
    {
      title: 'Outcomes per second by decision',
      width: 6,
      unit: 'ops',
      stacked: true,
      queries: [{ expr: `sum by (decision) (rate(bnpl_decision_outcomes_total[${RATE}]))`, legend: '{{decision}}' }],
    },
    {
      title: 'Decline reasons (last hour)',
      unit: 'short',
      stacked: true,
      queries: [{ expr: 'topk(10, sum by (reason) (increase(bnpl_decision_decline_reasons_total[1h])))', legend: '{{reason}}' }],
    },
  ],
};

function serviceDashboard(job: string, title: string, description: string, rows: RowSpec[]): DashboardSpec {
  return { uid: `bnpl-${job}`, title: `BNPL Feature Store / ${title}`, description, instancesOf: job, rows: [...rows, runtimeRow(job)] };
}

export const restGateway = serviceDashboard('rest-gateway', 'rest-gateway', 'Product teams\' HTTP/JSON API: feature reads, catalog, jobs. Traces: Jaeger (Explore, data source Jaeger), service rest-gateway.', [
  httpRow('rest-gateway'),
  ...readPathRows('rest-gateway'),
  decisionsRow('rest-gateway'),
]);

export const grpcServing = serviceDashboard('grpc-serving', 'grpc-serving', 'The risk engine\'s gRPC interface. HTTP on the side port serves probes and /metrics only. Traces: Jaeger, service grpc-serving.', [
  grpcRow('grpc-serving'),
  ...readPathRows('grpc-serving'),
  decisionsRow('grpc-serving'),
  httpRow('grpc-serving', 'HTTP (probes and metrics)'),
]);

const JOBS = 'topic="bnpl.jobs.requests"';
export const batchProcessor = serviceDashboard('batch-processor', 'batch-processor', 'Job shards pulled from bnpl.jobs.requests: materialization, backfill, training sets. A job\'s trace runs from POST /v1/jobs on rest-gateway through every shard.', [
  {
    title: 'Job progress',
    panels: [
      { title: 'Shards running now', unit: 'short', queries: [{ expr: `sum by (instance) (bnpl_messaging_handlers_in_flight{${sel('batch-processor', JOBS)}})`, legend: '{{instance}}' }] },
      {
        title: 'Shard messages handled per second by outcome',
        description: 'acked: the shard is done (or skipped, cancelled, failed for good); retried: it failed and resumes from its checkpoint; dead_lettered: moved to batch-processor.jobs.dlq.',
        unit: 'ops',
        stacked: true,
        queries: [{ expr: `sum by (outcome) (rate(bnpl_messaging_messages_total{${sel('batch-processor', JOBS)}}[${RATE}]))`, legend: '{{outcome}}' }],
      },
      {
        title: 'Shard run duration (p50, p95)',
        unit: 's',
        queries: [0.5, 0.95].map((q) => ({ expr: `histogram_quantile(${q}, sum by (le) (rate(bnpl_messaging_handler_duration_seconds_bucket{${sel('batch-processor', JOBS)}}[${RATE}])))`, legend: `p${q * 100}` })),
      },
      {
        title: 'Rows written to the online store per second',
        unit: 'ops',
        queries: [
          { expr: `sum(rate(bnpl_online_store_rows_written_total{${sel('batch-processor')}}[${RATE}]))`, legend: 'written' },
          { expr: `sum(rate(bnpl_online_store_rows_skipped_total{${sel('batch-processor')}}[${RATE}]))`, legend: 'kept out (stored row newer)' },
        ],
      },
    ],
  },
  {
    title: 'Jobs',
    panels: [
      { title: 'Jobs finished by kind and state', unit: 'short', stacked: true, queries: [{ expr: `sum by (kind, state) (increase(bnpl_batch_jobs_finished_total{${sel('batch-processor')}}[${RATE}]))`, legend: '{{kind}} {{state}}' }] },
      {
        title: 'Job duration, submission to final state (p50, p95)',
        unit: 's',
        queries: [0.5, 0.95].map((q) => ({ expr: `histogram_quantile(${q}, sum by (le, kind) (rate(bnpl_batch_job_duration_seconds_bucket{${sel('batch-processor')}}[${RATE}])))`, legend: `p${q * 100} {{kind}}` })),
      },
      {
        title: 'Dead letters (batch-processor.jobs.dlq)',
        description: 'Shard messages moved to the dead-letter topic since each instance started, by reason. Nothing consumes that topic: replay or drop its messages once the cause is fixed.',
        kind: 'stat',
        thresholds: [[null, 'green'], [1, 'red']],
        queries: [{ expr: `sum by (reason) (bnpl_messaging_dead_letters_total{${sel('batch-processor')}})`, legend: '{{reason}}' }],
      },
      { title: 'Shards queued per second (published by rest-gateway and batch-processors)', unit: 'ops', queries: [{ expr: `sum by (job, kind) (rate(bnpl_batch_shards_queued_total[${RATE}]))`, legend: '{{job}} {{kind}}' }] },
    ],
  },
  httpRow('batch-processor', 'HTTP (probes and metrics)'),
]);

export const cdcIngestor = serviceDashboard('cdc-ingestor', 'cdc-ingestor', 'Logical replication (pgoutput) into the online store. A source change\'s trace runs from the apply through the feature-update event to each serving instance\'s L1 invalidation.', [
  {
    title: 'Lag and freshness',
    panels: [
      {
        title: 'Staleness: time since the stream watermark',
        description: 'Every source commit before the watermark is in the online store; this is how far behind the source the store may be.',
        unit: 's',
        thresholds: [[null, 'green'], [300, 'red']],
        queries: [{ expr: `time() - max(bnpl_cdc_applied_through_timestamp_seconds{${sel('cdc-ingestor')}})`, legend: 'staleness' }],
      },
      { title: 'Replication lag: oldest unapplied transaction', unit: 's', thresholds: [[null, 'green'], [30, 'red']], queries: [{ expr: `max by (instance) (bnpl_cdc_replication_lag_seconds{${sel('cdc-ingestor')}})`, legend: '{{instance}}' }] },
      {
        title: 'Commit to online store (p50, p99)',
        unit: 's',
        queries: [0.5, 0.99].map((q) => ({ expr: `histogram_quantile(${q}, sum by (le) (rate(bnpl_cdc_commit_to_write_seconds_bucket{${sel('cdc-ingestor')}}[${RATE}])))`, legend: `p${q * 100}` })),
      },
      {
        title: 'WAL held by the replication slot',
        description: 'Not yet applied and acknowledged: PostgreSQL keeps it on disk. Readiness fails above CDC_MAX_LAG_BYTES.',
        unit: 'bytes',
        thresholds: [[null, 'green'], [268435456, 'orange'], [2147483648, 'red']],
        queries: [{ expr: `max by (instance) (bnpl_cdc_replication_lag_bytes{${sel('cdc-ingestor')}})`, legend: '{{instance}}' }],
      },
    ],
  },
  {
    title: 'Throughput',
    panels: [
      {
        title: 'Changes, transactions and rows per second',
        unit: 'ops',
        queries: [
          { expr: `sum(rate(bnpl_cdc_changes_applied_total{${sel('cdc-ingestor')}}[${RATE}]))`, legend: 'changes' },
          { expr: `sum(rate(bnpl_cdc_transactions_applied_total{${sel('cdc-ingestor')}}[${RATE}]))`, legend: 'transactions' },
          { expr: `sum(rate(bnpl_cdc_rows_written_total{${sel('cdc-ingestor')}}[${RATE}]))`, legend: 'rows written' },
          { expr: `sum(rate(bnpl_cdc_entities_deleted_total{${sel('cdc-ingestor')}}[${RATE}]))`, legend: 'entities deleted' },
        ],
      },
      {
        title: 'Transactions received, not yet applied (in all, and per entity kind\'s lane)',
        unit: 'short',
        queries: [
          { expr: `sum by (instance) (bnpl_cdc_pending_transactions{${sel('cdc-ingestor')}})`, legend: '{{instance}}' },
          { expr: `max by (entity) (bnpl_cdc_lane_pending_transactions{${sel('cdc-ingestor')}})`, legend: '{{entity}} lane' },
        ],
      },
      { title: 'Changes skipped per second by reason', unit: 'ops', queries: [{ expr: `sum by (reason) (rate(bnpl_cdc_changes_skipped_total{${sel('cdc-ingestor')}}[${RATE}]))`, legend: '{{reason}}' }] },
      {
        title: 'Reconnects and unpublished feature updates',
        unit: 'short',
        queries: [
          { expr: `sum(increase(bnpl_cdc_reconnects_total{${sel('cdc-ingestor')}}[${RATE}]))`, legend: 'stream reconnects' },
          { expr: `sum(increase(bnpl_cdc_notify_failures_total{${sel('cdc-ingestor')}}[${RATE}]))`, legend: 'feature updates not published' },
        ],
      },
    ],
  },
  httpRow('cdc-ingestor', 'HTTP (probes and metrics)'),
]);

/** Across services, without an instance variable. */
const overviewSpec: DashboardSpec = {
  uid: 'bnpl-overview',
  title: 'BNPL Feature Store / overview',
  description:
    'The serving SLOs, throughput, latency and errors of both edges, caches, CDC freshness, jobs, and the business view from the decision records: approval rate, decline reasons, what the model saw.',
  rows: [
    {
      title: 'Serving SLOs',
      panels: [
        {
          title: 'Error budget burn rate over 1 h (1 = spending exactly the 30-day budget)',
          description: 'REST and gRPC availability (99.9 %) and latency (99 % within 50 ms / 25 ms), from the recording rules in serving.yml. Above 14.4 for an hour pages.',
          unit: 'none',
          thresholds: [[null, 'green'], [1, 'orange'], [14.4, 'red']],
          queries: [{ expr: 'slo:sli_error:ratio_rate1h / on (slo) group_left () slo:error_budget:ratio', legend: '{{slo}}' }],
        },
        {
          title: 'Share of requests failing each SLO over 30 minutes',
          unit: 'percentunit',
          queries: [{ expr: 'slo:sli_error:ratio_rate30m', legend: '{{slo}}' }],
        },
      ],
    },
    {
      title: 'Feature reads',
      panels: [
        {
          title: 'Reads per second (REST, gRPC)',
          unit: 'reqps',
          queries: [
            { expr: `sum(rate(bnpl_http_server_request_duration_seconds_count{job="rest-gateway", route=~"${REST_READS}"}[${RATE}]))`, legend: 'REST' },
            { expr: `sum(rate(bnpl_grpc_server_request_duration_seconds_count{job="grpc-serving", rpc="${GRPC_READ}"}[${RATE}]))`, legend: 'gRPC' },
          ],
        },
        {
          title: 'Read latency p50, p95, p99 (REST, gRPC)',
          unit: 's',
          queries: [0.5, 0.95, 0.99].flatMap((q) => [
            { expr: `histogram_quantile(${q}, sum by (le) (rate(bnpl_http_server_request_duration_seconds_bucket{job="rest-gateway", route=~"${REST_READS}"}[${RATE}])))`, legend: `REST p${q * 100}` },
            { expr: `histogram_quantile(${q}, sum by (le) (rate(bnpl_grpc_server_request_duration_seconds_bucket{job="grpc-serving", rpc="${GRPC_READ}"}[${RATE}])))`, legend: `gRPC p${q * 100}` },
          ]),
        },
        {
          title: 'Errors: 4xx and 5xx (REST), client and server errors (gRPC), share of reads',
          unit: 'percentunit',
          queries: [
            ...['4xx', '5xx'].map((status) => ({
              expr: `sum(rate(bnpl_http_server_request_duration_seconds_count{job="rest-gateway", route=~"${REST_READS}", status_class="${status}"}[${RATE}])) / sum(rate(bnpl_http_server_request_duration_seconds_count{job="rest-gateway", route=~"${REST_READS}"}[${RATE}]))`,
              legend: `REST ${status}`,
            })),
            ...['client_error', 'server_error'].map((status) => ({
              expr: `sum(rate(bnpl_grpc_server_request_duration_seconds_count{job="grpc-serving", rpc="${GRPC_READ}", status_class="${status}"}[${RATE}])) / sum(rate(bnpl_grpc_server_request_duration_seconds_count{job="grpc-serving", rpc="${GRPC_READ}"}[${RATE}]))`,
              legend: `gRPC ${status}`,
            })),
          ],
        },
        {
          title: 'Cache hit ratio (L1, Redis, online store overall) by service',
          unit: 'percentunit',
          max: 1,
          queries: [
            { expr: 'job:bnpl_online_store_l1_hit:ratio_rate5m', legend: 'L1 {{job}}' },
            { expr: 'job:bnpl_online_store_backend_hit:ratio_rate5m{job=~"rest-gateway|grpc-serving"}', legend: 'Redis {{job}}' },
            {
              expr: `sum by (job) (rate(bnpl_serving_online_hits_total[${RATE}])) / (sum by (job) (rate(bnpl_serving_online_hits_total[${RATE}])) + sum by (job) (rate(bnpl_serving_online_misses_total[${RATE}])))`,
              legend: 'overall {{job}}',
            },
          ],
        },
        {
          title: 'Open breakers',
          kind: 'stat',
          width: 6,
          thresholds: [[null, 'green'], [1, 'red']],
          queries: [{ expr: 'count(bnpl_serving_breaker_state == 2) or vector(0)', legend: 'open' }],
        },
        {
          title: 'L1 evictions per second',
          width: 6,
          unit: 'ops',
          queries: [{ expr: `sum by (job) (rate(bnpl_online_store_l1_evictions_total[${RATE}]))`, legend: '{{job}}' }],
        },
        {
          title: 'PostgreSQL fallback reads per second',
          width: 12,
          unit: 'ops',
          queries: [{ expr: `sum by (job) (rate(bnpl_serving_source_reads_total[${RATE}]))`, legend: '{{job}}' }],
        },
      ],
    },
    {
      title: 'Streaming and jobs',
      panels: [
        { title: 'Online store staleness (time since the stream watermark)', unit: 's', thresholds: [[null, 'green'], [300, 'red']], queries: [{ expr: 'job:bnpl_cdc_staleness_seconds', legend: 'staleness' }] },
        {
          title: 'CDC lag and commit-to-write p99',
          unit: 's',
          queries: [
            { expr: 'max(bnpl_cdc_replication_lag_seconds)', legend: 'lag (oldest unapplied)' },
            { expr: 'job:bnpl_cdc_commit_to_write_seconds:p99_rate5m', legend: 'commit to write p99' },
          ],
        },
        {
          title: 'Job shards running and rows written per second',
          unit: 'short',
          queries: [
            { expr: `sum(bnpl_messaging_handlers_in_flight{job="batch-processor", ${JOBS}})`, legend: 'shards running' },
            { expr: 'job:bnpl_online_store_rows_written:rate5m{job="batch-processor"}', legend: 'rows/s' },
          ],
        },
        {
          title: 'Jobs finished (last hour) and dead letters (growth over 1 h)',
          unit: 'short',
          queries: [
            { expr: 'sum by (state) (increase(bnpl_batch_jobs_finished_total[1h]))', legend: 'jobs {{state}}' },
            { expr: 'dead_letter_topic:bnpl_messaging_dead_letters:increase1h', legend: 'dead letters {{dead_letter_topic}}' },
          ],
        },
        {
          title: 'Stuck jobs (shards queued again by the supervisor)',
          description: 'Running jobs whose shards the last supervision round had to queue again (lost messages, dead runners). A job stays stuck for 30 minutes at most, then fails.',
          unit: 'short',
          queries: [{ expr: 'max(bnpl_jobs_stuck)', legend: 'stuck jobs' }],
        },
      ],
    },
    outcomesRow,
    decisionsRow(),
  ],
};

/** Where Grafana (docker-compose.yml) loads dashboards from. */
export const DASHBOARDS_DIR = join(__dirname, '../../../../deploy/observability/grafana/dashboards');

/** File name (under DASHBOARDS_DIR) -> dashboard JSON. */
export function allDashboards(): Record<string, Record<string, unknown>> {
  return {
    'overview.json': dashboard(overviewSpec),
    'rest-gateway.json': dashboard(restGateway),
    'grpc-serving.json': dashboard(grpcServing),
    'batch-processor.json': dashboard(batchProcessor),
    'cdc-ingestor.json': dashboard(cdcIngestor),
  };
}
