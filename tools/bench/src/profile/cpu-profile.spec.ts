import { categoryOf, formatProfileSummary, selfTimeByNode, summariseProfiles, type CpuProfile } from './cpu-profile';

const ROOT = '/work/main';
const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber, columnNumber: 4 });

/** Nodes 1..6 and samples of 1 ms each (the deltas of the *next* sample give a sample's duration). */
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)') },
    { id: 2, callFrame: frame('(idle)') },
    { id: 3, callFrame: frame('readPlan', `file://${ROOT}/libs/serving/src/usecases/read-plan.ts`, 41) },
    { id: 4, callFrame: frame('(garbage collector)') },
    { id: 5, callFrame: frame('', `file://${ROOT}/node_modules/@grpc/grpc-js/build/src/server.js`, 9) },
    { id: 6, callFrame: frame('readPlan', `file://${ROOT}/libs/serving/src/usecases/read-plan.ts`, 41) },
  ],
  startTime: 1_000,
  // samples at 2000, 3000, ..., 8000; the last lasts until endTime (9000).
  samples: [3, 6, 3, 2, 2, 4, 5],
  timeDeltas: [1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000],
  endTime: 9_000,
};

describe('categoryOf', () => {
  it.each([
    ['(garbage collector)', '', '(garbage collector)'],
    ['(program)', '', '(program)'],
    ['(idle)', '', '(idle)'],
    ['JSON.stringify', '', '(native)'],
    ['emit', 'node:events', 'node:internal'],
    ['processTicksAndRejections', 'node:internal/process/task_queues', 'node:internal'],
    ['get', `file://${ROOT}/libs/online-store-redis/src/redis-online-store.ts`, 'libs/online-store-redis'],
    ['main', `file://${ROOT}/apps/grpc-serving/src/main.ts`, 'apps/grpc-serving'],
    ['x', `file://${ROOT}/node_modules/ioredis/built/Redis.js`, 'node_modules/ioredis'],
    ['x', `file://${ROOT}/node_modules/@grpc/grpc-js/build/src/server.js`, 'node_modules/@grpc/grpc-js'],
    ['x', `file://${ROOT}/node_modules/a/node_modules/b/index.js`, 'node_modules/b'],
    ['x', `${ROOT}/tools/register.cjs`, 'tools/register.cjs'],
    ['x', 'file:///usr/lib/node_modules/other.js', '(other)'],
    ['x', 'wasm://wasm/abc', '(wasm)'],
  ])('%s in "%s" -> %s', (name, url, category) => {
    expect(categoryOf(name, url, ROOT)).toBe(category);
  });
});

describe('selfTimeByNode', () => {
  it('gives each sample the time until the next one, the last until endTime', () => {
    expect(Object.fromEntries(selfTimeByNode(profile))).toEqual({ 3: 2_000, 6: 1_000, 2: 2_000, 4: 1_000, 5: 1_000 });
  });

  it('counts only the samples taken inside the windows', () => {
    // Samples at 2000 (node 3), 3000 (6), 4000 (3), ..., 8000 (5).
    expect(Object.fromEntries(selfTimeByNode(profile, [{ fromUs: 3_000, toUs: 4_001 }, { fromUs: 8_000, toUs: 9_000 }]))).toEqual({ 6: 1_000, 3: 1_000, 5: 1_000 });
  });
});

describe('summariseProfiles', () => {
  it('sums a function over its call paths and over profiles, with percentages of the busy time', () => {
    const summary = summariseProfiles([profile, profile], { workspaceRoot: ROOT, top: 25 });
    expect(summary).toMatchObject({ profiles: 2, totalMs: 14, nonIdleMs: 10 });
    expect(summary.functions).toEqual([
      { name: 'readPlan', location: 'libs/serving/src/usecases/read-plan.ts:42', category: 'libs/serving', selfMs: 6, percent: 60 },
      { name: '(garbage collector)', location: '', category: '(garbage collector)', selfMs: 2, percent: 20 },
      { name: '(anonymous)', location: 'node_modules/@grpc/grpc-js/build/src/server.js:10', category: 'node_modules/@grpc/grpc-js', selfMs: 2, percent: 20 },
    ]);
    expect(summary.categories).toEqual([
      { category: 'libs/serving', selfMs: 6, percent: 60 },
      { category: '(garbage collector)', selfMs: 2, percent: 20 },
      { category: 'node_modules/@grpc/grpc-js', selfMs: 2, percent: 20 },
      { category: '(idle)', selfMs: 4, percent: null },
    ]);
  });

  it('keeps the top N functions', () => {
    expect(summariseProfiles([profile], { workspaceRoot: ROOT, top: 1 }).functions.map((f) => f.name)).toEqual(['readPlan']);
  });

  it('formats categories and functions', () => {
    const text = formatProfileSummary('grpc-serving', summariseProfiles([profile], { workspaceRoot: ROOT, top: 25 }));
    expect(text).toContain('grpc-serving: 1 profile(s), 5 ms busy of 7 ms sampled');
    expect(text).toMatch(/60\.0 %\s+3 ms {2}libs\/serving\n/);
    expect(text).toContain('readPlan  libs/serving/src/usecases/read-plan.ts:42');
  });

  it('prints small categories as one line, idle last', () => {
    const tiny: CpuProfile = { ...profile, nodes: [...profile.nodes, { id: 7, callFrame: frame('x', 'node:fs') }], samples: [...Array(999).fill(3), 7, 2], timeDeltas: Array(1001).fill(1), endTime: 1_000 + 1_002 };
    const lines = formatProfileSummary('s', summariseProfiles([tiny], { workspaceRoot: ROOT, top: 1 })).split('\n');
    expect(lines[2]).toMatch(/99\.9 %.*libs\/serving$/);
    expect(lines[3]).toMatch(/0\.1 %.*1 more categories under 0\.5 % each$/);
    expect(lines[4]).toMatch(/-.*\(idle\)$/);
  });
});
