import { loadCdcIngestorConfig } from './config';

const base = { DATABASE_URL: 'postgres://app@127.0.0.1:5432/bnpl', MESSAGING: 'memory' };

describe('cdc-ingestor config: CDC_LANE_INTERVAL_MS', () => {
  it('defaults to a one-second interval for merchants', () => {
    expect(loadCdcIngestorConfig(base).CDC_LANE_INTERVAL_MS).toEqual({ merchant: 1000 });
  });

  it('reads entity=ms pairs, or none', () => {
    expect(loadCdcIngestorConfig({ ...base, CDC_LANE_INTERVAL_MS: 'merchant=250,customer=0' }).CDC_LANE_INTERVAL_MS).toEqual({ merchant: 250, customer: 0 });
    expect(loadCdcIngestorConfig({ ...base, CDC_LANE_INTERVAL_MS: 'none' }).CDC_LANE_INTERVAL_MS).toEqual({});
  });

  it.each(['merchant', 'merchant=1s', 'merchant=-1', 'Merchant=10', 'merchant=100000', 'merchant=1,'])('refuses %j, naming the variable', (value) => {
    expect(() => loadCdcIngestorConfig({ ...base, CDC_LANE_INTERVAL_MS: value })).toThrow(/CDC_LANE_INTERVAL_MS/);
  });
});
