import { mergeWorkerExpositions, withWorkerLabel } from './worker-metrics';

describe('mergeWorkerExpositions', () => {
  const worker = (requests: number, delay: number) =>
    [
      '# HELP http_requests_total Requests',
      '# TYPE http_requests_total counter',
      `http_requests_total{route="/a",status="200"} ${requests}`,
      '# HELP loop_delay_seconds Delay',
      '# TYPE loop_delay_seconds gauge',
      `loop_delay_seconds ${delay}`,
      '',
    ].join('\n');

  it('writes each family once, with every worker\'s samples labelled by worker', () => {
    const merged = mergeWorkerExpositions([
      { worker: 1, text: worker(5, 0.2) },
      { worker: 0, text: worker(3, 0.1) },
    ]);
    expect(merged).toBe(
      [
        '# HELP http_requests_total Requests',
        '# TYPE http_requests_total counter',
        'http_requests_total{worker="0",route="/a",status="200"} 3',
        'http_requests_total{worker="1",route="/a",status="200"} 5',
        '# HELP loop_delay_seconds Delay',
        '# TYPE loop_delay_seconds gauge',
        'loop_delay_seconds{worker="0"} 0.1',
        'loop_delay_seconds{worker="1"} 0.2',
        '',
      ].join('\n'),
    );
  });

  it('keeps a family only one worker has, and histogram suffixes with their family', () => {
    const histogram = ['# HELP d Duration', '# TYPE d histogram', 'd_bucket{le="1"} 2', 'd_bucket{le="+Inf"} 3', 'd_sum 4.5', 'd_count 3', ''].join('\n');
    const merged = mergeWorkerExpositions([
      { worker: 0, text: worker(1, 0) },
      { worker: 1, text: `${worker(2, 0)}${histogram}` },
    ]);
    expect(merged.split('\n').filter((l) => l.startsWith('# HELP'))).toEqual(['# HELP http_requests_total Requests', '# HELP loop_delay_seconds Delay', '# HELP d Duration']);
    expect(merged).toContain('# TYPE d histogram\nd_bucket{worker="1",le="1"} 2\nd_bucket{worker="1",le="+Inf"} 3\nd_sum{worker="1"} 4.5\nd_count{worker="1"} 3\n');
  });

  it('gives an empty text for no expositions', () => {
    expect(mergeWorkerExpositions([])).toBe('');
  });
});

describe('withWorkerLabel', () => {
  it.each([
    ['a 1', 'a{worker="2"} 1'],
    ['a{} 1', 'a{worker="2"} 1'],
    ['a{b="c"} 1', 'a{worker="2",b="c"} 1'],
    ['a{b="x y"} 1 1700000000', 'a{worker="2",b="x y"} 1 1700000000'],
  ])('%s -> %s', (line, labelled) => {
    expect(withWorkerLabel(line, 2)).toBe(labelled);
  });
});
