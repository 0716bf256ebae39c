import type { StreamHistoryRow, StreamHistorySink } from '@bnpl/cdc';
import { featureHistoryTopic, type MessagePublisher } from '@bnpl/messaging';

/** Rows per message: a batch of 500 transactions recomputes a few thousand rows; a message stays well below 1 MB. */
const ROWS_PER_MESSAGE = 500;

/**
 * The ingestor's history rows on `bnpl.features.history`, one message per view and up to 500 rows, all
 * published before the batch is acknowledged (a failure retries the batch). A batch-processor with an
 * offline store writes them there; without one subscribed, Pub/Sub keeps nothing (see the README).
 */
export function historyPublisher(publisher: MessagePublisher): StreamHistorySink {
  return {
    async record(rows: readonly StreamHistoryRow[]): Promise<void> {
      const byView = new Map<string, StreamHistoryRow[]>();
      for (const row of rows) byView.set(row.view, [...(byView.get(row.view) ?? []), row]);
      const messages: Array<Promise<unknown>> = [];
      for (const [view, viewRows] of byView) {
        for (let i = 0; i < viewRows.length; i += ROWS_PER_MESSAGE) {
          const chunk = viewRows.slice(i, i + ROWS_PER_MESSAGE);
          messages.push(
            publisher.publish(featureHistoryTopic, {
              featureView: view,
              rows: chunk.map((r) => ({ entityId: r.entityId, eventTime: r.eventTime, readTime: r.readAt, values: r.values })),
            }),
          );
        }
      }
      await Promise.all(messages);
    },
  };
}
