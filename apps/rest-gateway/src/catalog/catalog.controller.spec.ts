import { NotFoundException } from '@nestjs/common';
import { bnplCatalog, UnknownFeatureServiceError } from '@bnpl/feature-definitions';
import { CatalogController } from './catalog.controller';
import { catalogSchema, featureServiceSchema } from './catalog.schema';

const controller = new CatalogController(bnplCatalog);

describe('CatalogController', () => {
  it('serves the catalog in the documented shape', () => {
    const catalog = controller.getCatalog();
    expect(catalogSchema.parse(catalog)).toEqual(catalog);
    expect(catalog.services.map((s) => s.name)).toContain('credit_decision_v1');
  });

  it('serves one feature service in the documented shape', () => {
    const service = controller.getService('credit_decision_v1');
    expect(featureServiceSchema.parse(service)).toEqual(service);
    expect(service.required_join_keys).toEqual(['customer_id', 'merchant_id']);
    expect(service.request_inputs).toEqual({ requested_amount: 'MONEY' });
  });

  it('answers an unknown service with 404, keeping the reason UNKNOWN_FEATURE_SERVICE', () => {
    let error: unknown;
    try {
      controller.getService('credit_decision_v9');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NotFoundException);
    expect((error as NotFoundException).message).toBe('Unknown feature service "credit_decision_v9"');
    expect((error as NotFoundException).cause).toBeInstanceOf(UnknownFeatureServiceError);
  });
});
