import { Module, type DynamicModule } from '@nestjs/common';
import { PostgresScheduleRepository, SOURCE_DATABASE, type SourceDatabase } from '@bnpl/postgres';
import { SchedulesController, SCHEDULE_REPOSITORY } from './schedules.controller';

/** `GET /v1/schedules` over the schedules table the batch-processors keep (`db`: the DbModule). */
@Module({})
export class SchedulesApiModule {
  static register(db: DynamicModule): DynamicModule {
    return {
      module: SchedulesApiModule,
      imports: [db],
      providers: [{ provide: SCHEDULE_REPOSITORY, useFactory: (source: SourceDatabase) => new PostgresScheduleRepository(source), inject: [SOURCE_DATABASE] }],
      controllers: [SchedulesController],
    };
  }
}
