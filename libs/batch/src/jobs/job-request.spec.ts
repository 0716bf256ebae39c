import { bnplCatalog } from '@bnpl/feature-definitions';
import { validateJobRequest } from './job-request';

const TODAY = new Date('2025-03-15T12:00:00Z');
const validate = (request: Parameters<typeof validateJobRequest>[1]) => validateJobRequest(bnplCatalog, request, TODAY);

describe('validateJobRequest', () => {
  it('defaults to every stored view, or a feature service\'s stored views', () => {
    expect(validate({ kind: 'materialize' }).views).toEqual(bnplCatalog.views.map((v) => v.name));
    expect(validate({ kind: 'materialize', featureService: 'credit_decision_v1' }).views).toEqual(bnplCatalog.resolveService('credit_decision_v1').storedViews.map((v) => v.name));
    expect(validate({ kind: 'materialize', views: ['customer_profile', 'customer_profile'] })).toMatchObject({ views: ['customer_profile'], incremental: false, shardSize: 50_000 });
  });

  it('parses a backfill range of finished days', () => {
    expect(validate({ kind: 'backfill', from: '2025-03-01', to: '2025-03-14' })).toMatchObject({ from: new Date('2025-03-01T00:00:00Z'), to: new Date('2025-03-14T00:00:00Z') });
  });

  it('validates a training-set request: its views, output format from the extension', () => {
    expect(validate({ kind: 'historical', entityFile: '/data/e.csv', outputFile: '/data/out.csv', features: ['customer_exposure:outstanding_balance', 'customer_profile:*'] })).toMatchObject({
      kind: 'historical',
      views: ['customer_exposure', 'customer_profile'],
      trainingSet: { entityFile: '/data/e.csv', outputFile: '/data/out.csv', outputFormat: 'csv', features: ['customer_exposure:outstanding_balance', 'customer_profile:*'], featureService: null },
    });
    expect(validate({ kind: 'historical', entityFile: '/e.parquet', outputFile: '/o', featureService: 'credit_decision_v1' }).trainingSet?.outputFormat).toBe('parquet');
  });

  it.each([
    [{ kind: 'materialize', views: ['customer_nope'] }, /customer_nope/],
    [{ kind: 'materialize', views: ['credit_request'] }, /request-time view/],
    [{ kind: 'materialize', views: [] }, /empty/],
    [{ kind: 'materialize', views: ['customer_profile'], featureService: 'credit_decision_v1' }, /not both/],
    [{ kind: 'materialize', featureService: 'credit_decision_v9' }, /credit_decision_v9/],
    [{ kind: 'materialize', from: '2025-03-01' }, /backfill jobs only/],
    [{ kind: 'materialize', shardSize: 0 }, /shard_size/],
    [{ kind: 'backfill', from: '2025-03-01', incremental: true, to: '2025-03-02' }, /materialize jobs only/],
    [{ kind: 'backfill', from: '2025-03-01' }, /needs "from" and "to"/],
    [{ kind: 'backfill', from: '2025-02-30', to: '2025-03-02' }, /"from" must be a day/],
    [{ kind: 'backfill', from: '2025-03-10', to: '2025-03-01' }, /reversed/],
    [{ kind: 'backfill', from: '2025-03-01', to: '2025-03-15' }, /not a past day/],
    [{ kind: 'backfill', from: '2023-01-01', to: '2025-03-01' }, /at most 366/],
    [{ kind: 'wipe' }, /Unknown job kind "wipe"/],
    [{ kind: 'historical', outputFile: '/o.parquet', featureService: 'credit_decision_v1' }, /needs "entity_file"/],
    [{ kind: 'historical', entityFile: '/e.txt', outputFile: '/o.parquet', featureService: 'credit_decision_v1' }, /\.csv or \.parquet/],
    [{ kind: 'historical', entityFile: '/e.csv', outputFile: '/o.parquet' }, /exactly one of "features" or "feature_service"/],
    [{ kind: 'historical', entityFile: '/e.csv', outputFile: '/o.parquet', features: ['credit_request:exposure_after_order'] }, /request-time feature/],
    [{ kind: 'historical', entityFile: '/e.csv', outputFile: '/o.x', outputFormat: 'xml', featureService: 'credit_decision_v1' }, /output_format/],
    [{ kind: 'historical', entityFile: '/e.csv', outputFile: '/o.csv', featureService: 'credit_decision_v1', shardSize: 5 }, /"shard_size" does not apply/],
    [{ kind: 'materialize', entityFile: '/e.csv' }, /historical jobs only/],
  ])('rejects %j naming the problem', (request, message) => {
    expect(() => validate(request)).toThrow(message);
  });
});
