import { z } from 'zod';
import { messagingType } from './messaging-types';
import { entityIdField, nameField, timestampField, toTimestamp, uint64 } from './proto-fields';
import { defineTopic, type Topic } from './topic';

/**
 * Feature values of some entities changed in the online store: every serving instance drops them from its
 * L1 cache (proto `FeatureUpdate`).
 */
export interface FeatureUpdate {
  /** The entity the ids belong to, as the catalog names it: `customer`, `merchant`. */
  readonly entity: string;
  /** The entities whose values changed: at least one. */
  readonly entityIds: readonly string[];
  /** The feature views that changed; empty means every view of the entity. */
  readonly featureViews: readonly string[];
  /** The event time of the newest change the update carries. */
  readonly eventTime: Date;
  /** The PostgreSQL LSN of the source transaction, from the streaming path; absent from batch jobs. */
  readonly sourceLsn?: bigint;
}

const fromProto = z
  .object({
    entity: nameField,
    entityIds: z.array(entityIdField).min(1, 'must name at least one entity'),
    featureViews: z.array(nameField),
    eventTime: timestampField,
    sourceLsn: z.string().transform(BigInt),
  })
  .transform(({ sourceLsn, ...update }): FeatureUpdate => (sourceLsn > 0n ? { ...update, sourceLsn } : update));

/** `bnpl.features.updates`: published by whatever writes the online store, consumed by every serving instance. */
export const featureUpdatesTopic: Topic<FeatureUpdate> = defineTopic({
  name: 'bnpl.features.updates',
  type: messagingType('FeatureUpdate'),
  fromProto,
  toProto: (update) => ({
    entity: update.entity,
    entityIds: [...update.entityIds],
    featureViews: [...update.featureViews],
    eventTime: toTimestamp(update.eventTime, 'eventTime'),
    sourceLsn: uint64(update.sourceLsn ?? 0n, 'sourceLsn'),
  }),
});
