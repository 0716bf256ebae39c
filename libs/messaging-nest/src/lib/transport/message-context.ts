import { BaseRpcContext } from '@nestjs/microservices';

/** What a handler knows about the message it handles, beside its payload. */
export interface MessageInfo {
  readonly messageId: string;
  readonly topic: string;
  readonly subscription: string;
  /** This delivery's attempt, from 1: above 1, an earlier delivery failed or its consumer went away. */
  readonly deliveryAttempt: number;
  readonly attributes: Readonly<Record<string, string>>;
  readonly orderingKey?: string;
  readonly publishTime: Date;
}

/**
 * The context of an `@EventPattern` handler (`@Ctx() context: MessageContext`).
 *
 * Delivery is at least once: a message may be handled again after a failure, a crash, or a publisher's
 * retry. Handlers must be idempotent: key their effects by `getMessageId()` (the same on every
 * redelivery) or, better, by the payload's own identity (job id + shard + attempt, entity + event time),
 * which also covers a message published twice.
 */
export class MessageContext extends BaseRpcContext<[MessageInfo]> {
  /** The backend's id of the message: the same on every redelivery. */
  getMessageId(): string {
    return this.args[0].messageId;
  }

  getTopic(): string {
    return this.args[0].topic;
  }

  getSubscription(): string {
    return this.args[0].subscription;
  }

  getDeliveryAttempt(): number {
    return this.args[0].deliveryAttempt;
  }

  getAttributes(): Readonly<Record<string, string>> {
    return this.args[0].attributes;
  }

  getOrderingKey(): string | undefined {
    return this.args[0].orderingKey;
  }

  getPublishTime(): Date {
    return this.args[0].publishTime;
  }
}
