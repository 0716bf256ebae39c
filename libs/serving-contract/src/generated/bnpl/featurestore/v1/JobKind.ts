// Original file: proto/bnpl/featurestore/v1/messaging.proto

/**
 * JobKind is what a job computes.
 */
export const JobKind = {
  /**
   * JOB_KIND_UNSPECIFIED is never sent.
   */
  JOB_KIND_UNSPECIFIED: 'JOB_KIND_UNSPECIFIED',
  /**
   * JOB_KIND_MATERIALIZE_FULL recomputes the views for every entity of the shard and overwrites the
   * online store.
   */
  JOB_KIND_MATERIALIZE_FULL: 'JOB_KIND_MATERIALIZE_FULL',
  /**
   * JOB_KIND_MATERIALIZE_INCREMENTAL recomputes only the entities whose source rows changed since the
   * last successful materialization of the views.
   */
  JOB_KIND_MATERIALIZE_INCREMENTAL: 'JOB_KIND_MATERIALIZE_INCREMENTAL',
  /**
   * JOB_KIND_BACKFILL computes the views as of past times within the time range, into the offline store.
   */
  JOB_KIND_BACKFILL: 'JOB_KIND_BACKFILL',
  /**
   * JOB_KIND_HISTORICAL builds a point-in-time-correct training set.
   */
  JOB_KIND_HISTORICAL: 'JOB_KIND_HISTORICAL',
} as const;

/**
 * JobKind is what a job computes.
 */
export type JobKind =
  /**
   * JOB_KIND_UNSPECIFIED is never sent.
   */
  | 'JOB_KIND_UNSPECIFIED'
  | 0
  /**
   * JOB_KIND_MATERIALIZE_FULL recomputes the views for every entity of the shard and overwrites the
   * online store.
   */
  | 'JOB_KIND_MATERIALIZE_FULL'
  | 1
  /**
   * JOB_KIND_MATERIALIZE_INCREMENTAL recomputes only the entities whose source rows changed since the
   * last successful materialization of the views.
   */
  | 'JOB_KIND_MATERIALIZE_INCREMENTAL'
  | 2
  /**
   * JOB_KIND_BACKFILL computes the views as of past times within the time range, into the offline store.
   */
  | 'JOB_KIND_BACKFILL'
  | 3
  /**
   * JOB_KIND_HISTORICAL builds a point-in-time-correct training set.
   */
  | 'JOB_KIND_HISTORICAL'
  | 4

/**
 * JobKind is what a job computes.
 */
export type JobKind__Output = typeof JobKind[keyof typeof JobKind]
