import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalJobFiles } from './local-job-files';

describe('LocalJobFiles: training-set paths confined to the job files root', () => {
  let base: string;
  let root: string;
  let files: LocalJobFiles;

  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'job-files-'));
    root = join(base, 'root');
    mkdirSync(join(root, 'in'), { recursive: true });
    mkdirSync(join(base, 'outside'));
    writeFileSync(join(root, 'in', 'rows.csv'), 'customer_id,event_timestamp\n');
    writeFileSync(join(root, 'done.csv'), 'x\n');
    writeFileSync(join(base, 'outside', 'secret.csv'), 'password\n');
    symlinkSync(join(root, 'in'), join(root, 'inside-link'));
    symlinkSync(join(base, 'outside'), join(root, 'out-link'));
    symlinkSync(join(base, 'outside', 'secret.csv'), join(root, 'secret.csv'));
    symlinkSync(join(base, 'outside', 'nothing.csv'), join(root, 'dangling.csv'));
    symlinkSync('../outside/secret.csv', join(root, 'relative-out.csv'));
    files = new LocalJobFiles({ localRoot: root, gcsBuckets: ['bnpl-training'] });
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  const refusal = async (work: Promise<unknown>) => {
    const error = await work.then(
      () => null,
      (e: { reason?: string; message: string }) => e,
    );
    expect(error?.reason).toBe('JOB_FILE_REFUSED');
    // Never the host's own paths: only what the caller sent.
    expect(error?.message).not.toContain(base);
    return error?.message ?? '';
  };

  it('resolves paths inside the root, relative or absolute, through links that stay inside', async () => {
    expect(await files.input('entity_file', 'in/rows.csv')).toMatch(/\/root\/in\/rows\.csv$/);
    expect(await files.input('entity_file', join(root, 'in', 'rows.csv'))).toMatch(/\/root\/in\/rows\.csv$/);
    expect(await files.input('entity_file', 'inside-link/rows.csv')).toMatch(/\/root\/in\/rows\.csv$/);
    expect(await files.output('output_file', 'new/dir/set.parquet', false)).toMatch(/\/root\/new\/dir\/set\.parquet$/);
  });

  it('refuses "..", absolute paths elsewhere and URLs, whatever they would name', async () => {
    expect(await refusal(files.input('entity_file', '../outside/secret.csv'))).toMatch(/"entity_file" must not contain "\.\."/);
    expect(await refusal(files.input('entity_file', 'in/../../outside/secret.csv'))).toMatch(/must not contain/);
    expect(await refusal(files.input('entity_file', '/etc/passwd.csv'))).toBe('"entity_file" is outside the job files root: give a path relative to it');
    expect(await refusal(files.output('output_file', '/tmp/x.csv', true))).toMatch(/outside the job files root/);
    expect(await refusal(files.input('entity_file', 'file:///etc/passwd.csv'))).toMatch(/not a URL/);
  });

  it('refuses links that leave the root alike, whether their target exists or not', async () => {
    const existing = await refusal(files.input('entity_file', 'secret.csv'));
    const dangling = await refusal(files.input('entity_file', 'dangling.csv'));
    expect(existing).toBe('"entity_file" "secret.csv" leads out of the job files root through a symbolic link');
    expect(dangling).toBe('"entity_file" "dangling.csv" leads out of the job files root through a symbolic link');
    expect(await refusal(files.input('entity_file', 'relative-out.csv'))).toMatch(/symbolic link/);
    expect(await refusal(files.input('entity_file', 'out-link/secret.csv'))).toMatch(/symbolic link/);
    expect(await refusal(files.output('output_file', 'out-link/new.csv', true))).toMatch(/symbolic link/);
    expect(await refusal(files.output('output_file', 'secret.csv', true))).toMatch(/symbolic link/);
  });

  it('says "not found" for a missing input inside the root', async () => {
    expect(await refusal(files.input('entity_file', 'in/missing.csv'))).toBe('"entity_file" "in/missing.csv" was not found under the job files root');
    expect(await refusal(files.input('entity_file', 'in'))).toMatch(/not a regular file/);
  });

  it('never replaces an existing output unless asked', async () => {
    expect(await refusal(files.output('output_file', 'done.csv', false))).toBe('"output_file" "done.csv" already exists: ask with "overwrite": true to replace it');
    expect(await files.output('output_file', 'done.csv', true)).toMatch(/\/root\/done\.csv$/);
    expect(await refusal(files.output('output_file', 'in', true))).toMatch(/not a regular file/);
  });

  it('accepts gs:// outputs to allowed buckets only, and no gs:// input', async () => {
    expect(await files.output('output_file', 'gs://bnpl-training/sets/nov-*.parquet', false)).toBe('gs://bnpl-training/sets/nov-*.parquet');
    expect(await refusal(files.output('output_file', 'gs://someone-else/x-*.parquet', false))).toMatch(/bucket "someone-else" is not one jobs may write to/);
    expect(await refusal(files.output('output_file', 'gs://bnpl-training/no-star.parquet', false))).toMatch(/one \*/);
    expect(await refusal(files.input('entity_file', 'gs://bnpl-training/rows.csv'))).toMatch(/not from gs:\/\//);
  });
});
