import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bnplCatalog } from '@bnpl/feature-definitions';
import { makeTempDir } from '@bnpl/service-launchers';
import { checkScheduleFileEnv, readScheduleFile } from './schedule-file';

describe('the schedules file of a batch-processor', () => {
  const dir = makeTempDir('bnpl-schedule-file-');
  afterAll(() => dir.remove());
  const file = (name: string, text: string) => {
    const path = join(dir.path, name);
    writeFileSync(path, text);
    return path;
  };
  const check = checkScheduleFileEnv(bnplCatalog);

  it("reads the repository's schedules", () => {
    expect(readScheduleFile(join(__dirname, '../../../../deploy/job-schedules.json'), bnplCatalog).map((s) => s.name)).toEqual(['bnpl-materialize-incremental', 'bnpl-materialize-full']);
    expect(check({ JOB_SCHEDULES_FILE: join(__dirname, '../../../../deploy/job-schedules.json'), DATABASE_POOL_SIZE: 10 })).toEqual([]);
    expect(check({ DATABASE_POOL_SIZE: 1 })).toEqual([]);
  });

  it('names the variable, the file and the problem', () => {
    const missing = join(dir.path, 'nope.json');
    expect(check({ JOB_SCHEDULES_FILE: missing, DATABASE_POOL_SIZE: 10 })).toEqual([{ variable: 'JOB_SCHEDULES_FILE', message: `${missing} cannot be read (ENOENT)` }]);
    const broken = file('broken.json', '[{');
    expect(check({ JOB_SCHEDULES_FILE: broken, DATABASE_POOL_SIZE: 10 })).toEqual([{ variable: 'JOB_SCHEDULES_FILE', message: expect.stringMatching(new RegExp(`^${broken} is not JSON \\(`)) }]);
    const bad = file('bad.json', JSON.stringify([{ name: 'x', cron: '* * * *', job: {} }]));
    expect(check({ JOB_SCHEDULES_FILE: bad, DATABASE_POOL_SIZE: 10 })).toEqual([{ variable: 'JOB_SCHEDULES_FILE', message: `${bad}: schedule 1 ("x"): cron: "* * * *" has 4 fields; a cron expression has five (minute hour day-of-month month day-of-week)` }]);
  });

  it('checks each job as its runs will be submitted, the minimum shard size included', () => {
    const small = file('small.json', JSON.stringify([{ name: 'tiny', cron: '0 * * * *', job: { shard_size: 500 } }]));
    expect(check({ JOB_SCHEDULES_FILE: small, DATABASE_POOL_SIZE: 10, JOBS_MIN_SHARD_SIZE: 1_000 })).toEqual([{ variable: 'JOB_SCHEDULES_FILE', message: expect.stringMatching(/schedule 1 \("tiny"\): job: "shard_size" must be an integer from 1000 /) }]);
    expect(check({ JOB_SCHEDULES_FILE: small, DATABASE_POOL_SIZE: 10, JOBS_MIN_SHARD_SIZE: 500 })).toEqual([]);
  });

  it('needs a second database connection: a tick holds one while it submits', () => {
    const good = file('good.json', '[]');
    expect(check({ JOB_SCHEDULES_FILE: good, DATABASE_POOL_SIZE: 1 })).toEqual([{ variable: 'DATABASE_POOL_SIZE', message: expect.stringContaining('at least 2 with JOB_SCHEDULES_FILE') }]);
  });
});
