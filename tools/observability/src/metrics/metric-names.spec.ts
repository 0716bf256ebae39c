import { join } from 'node:path';
import { metricNamesIn, readDashboardQueries, readRuleFiles, recordedNamesIn, sampleNames } from './metric-names';

const DEPLOY = join(__dirname, '../../../../deploy/observability');

describe('metric names', () => {
  it('finds exported metric names in PromQL, not recording rules, labels or functions', () => {
    const promql =
      'sum by (job, v8js_gc_type) (rate(bnpl_http_server_request_duration_seconds_count{job="x", route!~"/metrics", v8js_gc_type="minor"}[5m])) / job:bnpl_online_store_l1_hit:ratio_rate5m + nodejs_eventloop_delay_p99 and on (slo) slo:error_budget:ratio';
    expect([...metricNamesIn(promql)].sort()).toEqual(['bnpl_http_server_request_duration_seconds_count', 'nodejs_eventloop_delay_p99']);
    expect([...recordedNamesIn(promql)].sort()).toEqual(['job:bnpl_online_store_l1_hit:ratio_rate5m', 'slo:error_budget:ratio']);
  });

  it('lists the sample names of an exposition page', () => {
    const page = '# HELP a_total x\n# TYPE a_total counter\na_total{k="v"} 1\nb_bucket{le="1"} 2\nb_count 3\n';
    expect([...sampleNames(page)]).toEqual(['a_total', 'b_bucket', 'b_count']);
  });

  it('reads the expressions and recorded names of the rule files, and every recording rule used is defined', () => {
    const rules = readRuleFiles(join(DEPLOY, 'prometheus/rules'));
    expect(rules.recorded).toContain('slo:sli_error:ratio_rate1h');
    expect(rules.recorded).toContain('job:bnpl_cdc_staleness_seconds');
    expect(metricNamesIn(rules.expressions)).toContain('bnpl_grpc_server_request_duration_seconds_bucket');
    const used = new Set([...recordedNamesIn(rules.expressions), ...recordedNamesIn(readDashboardQueries(join(DEPLOY, 'grafana/dashboards')))]);
    expect([...used].filter((name) => !rules.recorded.has(name))).toEqual([]);
  });

  it("reads every dashboard's queries", () => {
    const queries = readDashboardQueries(join(DEPLOY, 'grafana/dashboards'));
    expect(metricNamesIn(queries)).toContain('bnpl_cdc_applied_through_timestamp_seconds');
    expect(queries).toContain('label_values(up{job="cdc-ingestor"}, instance)');
  });
});
