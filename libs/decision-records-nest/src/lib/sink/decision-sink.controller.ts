import { Controller, Inject, UseFilters } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { IngestDecisionBatch } from '@bnpl/decision-records';
import { decisionRecordsTopic, type DecisionRecordBatchMessage } from '@bnpl/messaging';
import { MessageHandlerExceptionFilter } from '@bnpl/messaging-nest';

/**
 * The decision sink: stores every batch pulled from `bnpl.decisions.records` (shared subscription
 * `batch-processor.decisions`). Resolving acks the message after the batch is stored; a failure nacks it
 * and it is redelivered: the store is idempotent by (instance, sequence), so nothing is lost or doubled.
 */
@Controller()
@UseFilters(new MessageHandlerExceptionFilter())
export class DecisionSinkController {
  constructor(@Inject(IngestDecisionBatch) private readonly ingest: IngestDecisionBatch) {}

  @EventPattern(decisionRecordsTopic.name)
  async onBatch(@Payload() batch: DecisionRecordBatchMessage): Promise<void> {
    await this.ingest.execute({ ...batch, records: batch.records.map((r) => ({ ...r, instanceId: batch.instanceId })) });
  }
}
