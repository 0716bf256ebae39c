import { lstat, readlink, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { JobFileRefusedError, type JobFiles } from '@bnpl/batch';
import { quoteInput } from '@bnpl/feature-definitions';

/** Where training-set files may be. */
export interface JobFileRoots {
  /** The local directory every local path is inside (absolute; `JOB_FILES_ROOT`). */
  readonly localRoot: string;
  /** Buckets a `gs://` output may name (a BigQuery offline store exports there); empty: none. */
  readonly gcsBuckets?: readonly string[];
}

/** `gs://bucket/path` with one `*` (BigQuery writes as many files as it needs), nothing needing quotes. */
const GCS_URI = /^gs:\/\/([a-z0-9][a-z0-9._-]{1,220})\/[^*'"\\\s]*\*[^*'"\\\s]*$/;
const URL_SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const MAX_PATH = 1_024;

const within = (root: string, path: string) => {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
};

/**
 * The job files roots on the local file system (see the JobFiles port). A path is taken relative to the
 * root (an absolute one must lead inside it); `..` is refused outright, whatever it would resolve to. Each
 * existing component is looked at without following links (`lstat`): a symbolic link is followed only
 * when its target, resolved as text, is inside the root, so a link leading out is refused before
 * anything outside is touched, and the answer is the same whether its target exists or not. Answers
 * quote the caller's path, never the root's location on the host.
 */
export class LocalJobFiles implements JobFiles {
  readonly #root: string;
  readonly #buckets: ReadonlySet<string>;

  constructor(roots: JobFileRoots) {
    this.#root = resolve(roots.localRoot);
    this.#buckets = new Set(roots.gcsBuckets ?? []);
  }

  async input(field: string, path: string): Promise<string> {
    if (/^gs:\/\//i.test(path)) throw new JobFileRefusedError(`"${field}" must be a file under the job files root: entity files are read from there, not from gs://`);
    const walked = await this.#walk(field, path);
    if (walked.missing) throw new JobFileRefusedError(`"${field}" ${quoteInput(path)} was not found under the job files root`);
    const st = await lstat(walked.real);
    if (!st.isFile()) throw new JobFileRefusedError(`"${field}" ${quoteInput(path)} is not a regular file`);
    return walked.real;
  }

  async output(field: string, path: string, overwrite: boolean): Promise<string> {
    const gcs = GCS_URI.exec(path);
    if (gcs) {
      if (!this.#buckets.has(gcs[1])) throw new JobFileRefusedError(`"${field}": bucket ${quoteInput(gcs[1])} is not one jobs may write to (JOB_FILES_GCS_BUCKETS)`);
      return path;
    }
    if (/^gs:\/\//i.test(path)) throw new JobFileRefusedError(`"${field}": a gs:// output is gs://bucket/path with one * (e.g. gs://bucket/training/set-*.parquet)`);
    const walked = await this.#walk(field, path);
    if (walked.missing) return walked.real;
    const st = await lstat(walked.real);
    if (!st.isFile()) throw new JobFileRefusedError(`"${field}" ${quoteInput(path)} exists and is not a regular file`);
    if (!overwrite) throw new JobFileRefusedError(`"${field}" ${quoteInput(path)} already exists: ask with "overwrite": true to replace it`);
    return walked.real;
  }

  /**
   * Resolves `path` inside the root component by component. `real` is the resolved path (through links
   * that stay inside); `missing` when a component does not exist (the rest is appended as given: an output
   * creates those directories, inside the root).
   */
  async #walk(field: string, path: string): Promise<{ real: string; missing: boolean }> {
    if (typeof path !== 'string' || path.length === 0 || path.length > MAX_PATH || path.includes('\0')) throw new JobFileRefusedError(`"${field}" must be a path of 1 to ${MAX_PATH} characters`);
    if (URL_SCHEME.test(path) && !/^[a-z]:[\\/]/i.test(path)) throw new JobFileRefusedError(`"${field}" must be a path relative to the job files root, not a URL`);
    const parts = path.split(/[\\/]+/);
    if (parts.includes('..')) throw new JobFileRefusedError(`"${field}" must not contain "..": give a path relative to the job files root`);
    const root = await this.#realRoot();
    let rest: string;
    if (isAbsolute(path)) {
      // An absolute path is accepted only when it names a place inside the root (as configured or as resolved).
      const base = [this.#root, root].find((r) => within(r, resolve(path)));
      if (base === undefined) throw new JobFileRefusedError(`"${field}" is outside the job files root: give a path relative to it`);
      rest = relative(base, resolve(path));
    } else {
      rest = path;
    }
    let current = root;
    const remaining = rest.split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
    for (let hops = 0; remaining.length > 0; ) {
      const next = join(current, remaining[0]);
      let st;
      try {
        st = await lstat(next);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return { real: join(current, ...remaining), missing: true };
        throw error;
      }
      if (st.isSymbolicLink()) {
        if (++hops > 40) throw new JobFileRefusedError(`"${field}" ${quoteInput(path)}: too many symbolic links`);
        // Judged as text first: a link leading out is refused without looking at where it leads.
        const target = resolve(dirname(next), await readlink(next));
        if (!within(root, target)) throw new JobFileRefusedError(`"${field}" ${quoteInput(path)} leads out of the job files root through a symbolic link`);
        remaining.splice(0, 1, ...relative(root, target).split(sep).filter((p) => p !== ''));
        current = root;
        continue;
      }
      current = next;
      remaining.shift();
    }
    return { real: current, missing: false };
  }

  async #realRoot(): Promise<string> {
    try {
      return await realpath(this.#root);
    } catch {
      // Not created yet: nothing is under it, and an output creates it.
      return this.#root;
    }
  }
}
