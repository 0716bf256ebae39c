import { Module, type DynamicModule } from '@nestjs/common';
import { DecisionsClient } from '@bnpl/decision-records-nest';
import { DecisionsController } from './decisions.controller';

/** The decisions API, forwarding to the decisions service at DECISIONS_SERVICE_URL. */
@Module({})
export class DecisionsApiModule {
  static register(config: { readonly DECISIONS_SERVICE_URL: string }): DynamicModule {
    return {
      module: DecisionsApiModule,
      controllers: [DecisionsController],
      providers: [{ provide: DecisionsClient, useValue: new DecisionsClient(config.DECISIONS_SERVICE_URL) }],
    };
  }
}
