import type { DeadLetterReason } from './dead-letter';

/** How the handling of one delivery ended: acknowledged, nacked for redelivery, or moved to the dead-letter topic. */
export type ConsumerOutcome = 'acked' | 'retried' | 'dead_lettered';

/** Receives each handled message's duration (the messaging metrics' histogram). */
export type DurationObserver = (topic: string, outcome: ConsumerOutcome, seconds: number) => void;

/**
 * Counters of the process's consumers since start, by topic (subscriptions of fan-out topics are named per
 * instance, topics are stable), for the messaging metrics. Plain numbers, read at scrape time; durations go
 * to an observer when one is attached.
 */
export class ConsumerStats {
  readonly #outcomes = new Map<string, { topic: string; outcome: ConsumerOutcome; count: number }>();
  readonly #deadLetters = new Map<string, { topic: string; deadLetterTopic: string; reason: DeadLetterReason; count: number }>();
  readonly #inFlight = new Map<string, number>();
  #observeDuration?: DurationObserver;

  /** Where each handled message's duration goes from now on. */
  observeDurations(observer: DurationObserver): void {
    this.#observeDuration = observer;
  }

  /**
   * Starts every counter of a consumer at 0, so that its series exist (and `rate()` and alerts on them work)
   * before the first message, and a dead letter shows as an increase rather than a new series.
   */
  register(topic: string, deadLetterTopic: string): void {
    if (!this.#inFlight.has(topic)) this.#inFlight.set(topic, 0);
    for (const outcome of ['acked', 'retried', 'dead_lettered'] as const) this.#add(`${topic}\u0000${outcome}`, { topic, outcome }, this.#outcomes, 0);
    for (const reason of ['HANDLER_FAILED', 'UNDECODABLE'] as const) this.#add(`${topic}\u0000${deadLetterTopic}\u0000${reason}`, { topic, deadLetterTopic, reason }, this.#deadLetters, 0);
  }

  /** A handler started on a message of `topic`. */
  started(topic: string): void {
    this.#inFlight.set(topic, (this.#inFlight.get(topic) ?? 0) + 1);
  }

  /** The handling of a message of `topic` ended, as `outcome`, after `seconds`. */
  finished(topic: string, outcome: ConsumerOutcome, seconds: number): void {
    this.#inFlight.set(topic, (this.#inFlight.get(topic) ?? 1) - 1);
    this.#add(`${topic}\u0000${outcome}`, { topic, outcome }, this.#outcomes, 1);
    this.#observeDuration?.(topic, outcome, seconds);
  }

  /** A message moved to `deadLetterTopic` (its `finished` call counts the `dead_lettered` outcome). */
  deadLettered(topic: string, deadLetterTopic: string, reason: DeadLetterReason): void {
    this.#add(`${topic}\u0000${deadLetterTopic}\u0000${reason}`, { topic, deadLetterTopic, reason }, this.#deadLetters, 1);
  }

  #add<L extends object>(key: string, labels: L, into: Map<string, L & { count: number }>, n: number): void {
    const entry = into.get(key);
    if (entry) entry.count += n;
    else into.set(key, { ...labels, count: n });
  }

  /** Handlers running now, by topic. */
  inFlight(): ReadonlyArray<{ readonly topic: string; readonly count: number }> {
    return [...this.#inFlight].map(([topic, count]) => ({ topic, count }));
  }

  outcomes(): ReadonlyArray<{ readonly topic: string; readonly outcome: ConsumerOutcome; readonly count: number }> {
    return [...this.#outcomes.values()];
  }

  deadLetters(): ReadonlyArray<{ readonly topic: string; readonly deadLetterTopic: string; readonly reason: DeadLetterReason; readonly count: number }> {
    return [...this.#deadLetters.values()];
  }
}
