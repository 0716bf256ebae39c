import { Controller, Inject, UseFilters } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { featuresInMessage, RequireScope } from '@bnpl/access-control-nest';
import { UnknownFeatureServiceError, type Catalog } from '@bnpl/feature-definitions';
import { describeCatalog, type GetOnlineFeatures } from '@bnpl/serving';
import {
  FEATURE_SERVING_SERVICE,
  type GetCatalogRequest__Output,
  type GetCatalogResponse,
  type GetFeatureServiceRequest__Output,
  type GetFeatureServiceResponse,
  type GetOnlineFeaturesRequest__Output,
  type GetOnlineFeaturesResponse,
} from '@bnpl/serving-contract';
import { FEATURE_CATALOG } from '@bnpl/platform';
import { GET_ONLINE_FEATURES } from '@bnpl/serving-runtime';
import { GrpcExceptionFilter } from '../errors/grpc-exception.filter';
import { ResourceNotFoundError } from '../errors/resource-not-found.error';
import { throwIfRejected, type RejectedRequest } from '../grpc/request-guards';
import { toFeatureService, toGetCatalogResponse } from './catalog.mapper';
import { servingSchemaOf, toGetOnlineFeaturesCommand, toGetOnlineFeaturesResponse, type ServingSchema } from './online-features.mapper';

/**
 * FeatureServingService (proto/bnpl/featurestore/v1/serving.proto) over the shared read path. The catalog
 * never changes while the process runs, so its answers are built once and every catalog call returns the
 * same objects; the hot path does no logging and allocates only its answer.
 */
@Controller()
@UseFilters(new GrpcExceptionFilter())
export class FeatureServingController {
  private readonly schema: ServingSchema;
  private readonly catalogResponse: GetCatalogResponse;
  private readonly services: ReadonlyMap<string, GetFeatureServiceResponse>;

  constructor(
    @Inject(GET_ONLINE_FEATURES) private readonly useCase: GetOnlineFeatures,
    @Inject(FEATURE_CATALOG) catalog: Catalog,
  ) {
    const description = describeCatalog(catalog);
    this.schema = servingSchemaOf(description);
    this.catalogResponse = toGetCatalogResponse(description);
    this.services = new Map(description.services.map((s) => [s.name, { feature_service: toFeatureService(s) }]));
  }

  @GrpcMethod(FEATURE_SERVING_SERVICE, 'GetOnlineFeatures')
  @RequireScope('features:read', { features: featuresInMessage('feature_service', 'features.refs') })
  async getOnlineFeatures(request: GetOnlineFeaturesRequest__Output | RejectedRequest): Promise<GetOnlineFeaturesResponse> {
    const result = await this.useCase.execute(toGetOnlineFeaturesCommand(throwIfRejected(request), this.schema));
    return toGetOnlineFeaturesResponse(result, this.schema);
  }

  @GrpcMethod(FEATURE_SERVING_SERVICE, 'GetCatalog')
  @RequireScope('catalog:read')
  getCatalog(request: GetCatalogRequest__Output | RejectedRequest): GetCatalogResponse {
    throwIfRejected(request);
    return this.catalogResponse;
  }

  @GrpcMethod(FEATURE_SERVING_SERVICE, 'GetFeatureService')
  @RequireScope('catalog:read')
  getFeatureService(request: GetFeatureServiceRequest__Output | RejectedRequest): GetFeatureServiceResponse {
    const { name } = throwIfRejected(request);
    const found = this.services.get(name);
    if (!found) throw new ResourceNotFoundError(new UnknownFeatureServiceError(name));
    return found;
  }
}
