import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { type FeatureUpdatesTopic } from './feature-updates.controller';

/** What Pub/Sub allows in a subscription name (`%` too, but it stands for URL-encoding there). */
const ALLOWED = /[^A-Za-z0-9._~+-]/g;
const MAX_NAME_LENGTH = 255;
const PREFIX = /^(?!goog)[A-Za-z][A-Za-z0-9._~+-]{2,99}$/;

export interface InstanceIdentity {
  readonly hostname: string;
  readonly pid: number;
}

/**
 * A subscription name of its own for this process: `<prefix>.<hostname>-<pid>-<8 hex random>`. The random
 * part keeps names apart across calls, containers that share a hostname and pid (pid 1 everywhere), and
 * apps sharing a process (the local stack). The hostname, reduced to the characters Pub/Sub allows and cut
 * to fit its 255 characters, only says where a subscription came from.
 *
 * @param prefix starts with a letter (not `goog`), 3-100 of the characters Pub/Sub allows; else RangeError.
 */
export function instanceSubscriptionName(prefix: string, instance: InstanceIdentity = { hostname: hostname(), pid: process.pid }): string {
  if (!PREFIX.test(prefix)) throw new RangeError(`instanceSubscriptionName: "${prefix}" is not a valid subscription name prefix`);
  const suffix = `-${instance.pid}-${randomBytes(4).toString('hex')}`;
  const room = MAX_NAME_LENGTH - prefix.length - 1 - suffix.length;
  const host = instance.hostname.replace(ALLOWED, '-').slice(0, room) || 'host';
  return `${prefix}.${host}${suffix}`;
}

/**
 * The subscription binding of a serving app's feature-update events: a subscription per instance (each
 * instance must see every event: fan-out), ephemeral (created at start, deleted at shutdown, expired by
 * Pub/Sub when a crashed instance leaves it), and one dead-letter topic `<app>.feature-updates.dlq` shared
 * by the app's instances, so that instances do not each leave a topic behind. Pass it to
 * `messaging.transport([...])` of @bnpl/messaging, whose SubscriptionBinding it is.
 *
 * @param app the service's name, e.g. `rest-gateway`
 * @param topic `featureUpdatesTopic` from @bnpl/messaging
 */
export function featureUpdatesBinding<T extends FeatureUpdatesTopic>(app: string, topic: T, instance?: InstanceIdentity) {
  const prefix = `${app}.feature-updates`;
  return { topic, subscription: instanceSubscriptionName(prefix, instance), ephemeral: true, deadLetterTopic: `${prefix}.dlq` } as const;
}
