import { ValueComparer } from './value-comparison';

const body = (utilization: number, status = 'PRESENT', event_time = '2026-01-01T00:00:00.000Z') =>
  JSON.stringify({
    feature_names: ['customer_profile:kyc_level', 'customer_exposure:utilization'],
    results: [
      {
        entity_row: { customer_id: '7' },
        values: [
          { value: 2, status: 'PRESENT', event_time },
          { value: utilization, status, event_time },
        ],
      },
    ],
  });

describe('ValueComparer', () => {
  it('counts equal bodies as matches whatever their event times, and describes the first difference', () => {
    const comparer = new ValueComparer(new Map([[7, body(0.5)]]));
    expect(comparer.has(7)).toBe(true);
    expect(comparer.has(8)).toBe(false);
    comparer.compare(7, body(0.5, 'PRESENT', '2026-01-01T00:00:05.000Z'));
    comparer.compare(7, body(0.6));
    comparer.compare(7, body(0.5, 'STALE'));
    comparer.compare(8, body(0.9));
    expect(comparer.result()).toEqual({
      compared: 3,
      mismatches: 2,
      mismatchSamples: [
        'customer 7: customer_exposure:utilization 0.6 (PRESENT), expected 0.5 (PRESENT)',
        'customer 7: customer_exposure:utilization 0.5 (STALE), expected 0.5 (PRESENT)',
      ],
    });
  });
});
