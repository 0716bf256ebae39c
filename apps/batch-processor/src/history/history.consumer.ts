import { Controller, Inject, UseFilters } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { featureHistoryTopic, type FeatureHistory } from '@bnpl/messaging';
import { MessageHandlerExceptionFilter } from '@bnpl/messaging-nest';
import { OFFLINE_STORE, type OfflineStore } from '@bnpl/offline-store';

/**
 * Appends the rows the cdc-ingestor recomputes (`bnpl.features.history`) to the offline store's history.
 * Idempotent: a redelivered message rewrites the same (view, entity, event time) rows; of two rows with
 * the same key, the one read later (`createdAt` = its read time) stays. A row that does not fit its view
 * fails the message, which is dead-lettered after its deliveries.
 */
@Controller()
@UseFilters(new MessageHandlerExceptionFilter())
export class HistoryConsumer {
  constructor(@Inject(OFFLINE_STORE) private readonly store: OfflineStore) {}

  @EventPattern(featureHistoryTopic.name)
  async onHistory(@Payload() history: FeatureHistory): Promise<void> {
    await this.store.writeFeatureRows(
      history.featureView,
      history.rows.map((row) => ({ entityId: row.entityId, eventTime: row.eventTime, values: row.values, createdAt: row.readTime })),
    );
  }
}
