import { Module, type DynamicModule } from '@nestjs/common';
import { HistoryConsumer } from './history.consumer';

/** Every batch-processor instance with an offline store pulls from this one subscription: they share the history. */
export const HISTORY_SUBSCRIPTION = 'batch-processor.history';

/** The consumer of the streaming path's history, over the app's offline store module. */
@Module({})
export class HistoryModule {
  static register(offlineStore: DynamicModule): DynamicModule {
    return { module: HistoryModule, imports: [offlineStore], controllers: [HistoryConsumer] };
  }
}
