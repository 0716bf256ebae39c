import { Module, type DynamicModule } from '@nestjs/common';
import { KeysController } from './keys.controller';

/** The `/v1/keys` admin API over API_KEY_ADMIN (`accessControl`: the app's AccessControlModule). */
@Module({})
export class KeysApiModule {
  static register(accessControl: DynamicModule): DynamicModule {
    return { module: KeysApiModule, imports: [accessControl], controllers: [KeysController] };
  }
}
