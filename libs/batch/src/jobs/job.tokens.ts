/** Injection tokens of the job ports; adapters bind their implementations to them. */
export const JOB_REPOSITORY = Symbol('JOB_REPOSITORY');
export const JOB_QUEUE = Symbol('JOB_QUEUE');
export const SOURCE_STATS = Symbol('SOURCE_STATS');
/** Builds training sets from the offline store, where a process has one. */
export const TRAINING_SET_BUILDER = Symbol('TRAINING_SET_BUILDER');
/** Where materialization appends feature history (the offline store), when a process has one. */
export const FEATURE_HISTORY_SINK = Symbol('FEATURE_HISTORY_SINK');
