import { Controller, Inject, UseFilters } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { featuresInMessage, RequireScope } from '@bnpl/access-control-nest';
import { UnknownFeatureServiceError, type Catalog } from '@bnpl/feature-definitions';
import { describeCatalog } from '@bnpl/serving';
import { DECISION_SERVING, grpcDecision, type DecisionServing } from '@bnpl/decision-records-nest';
import {
  FEATURE_SERVING_SERVICE,
  type GetCatalogRequest__Output,
  type GetCatalogResponse,
  type GetFeatureServiceRequest__Output,
  type GetFeatureServiceResponse,
  type GetOnlineFeaturesRequest__Output,
  type EncodedGetOnlineFeaturesResponse,
} from '@bnpl/serving-contract';
import { FEATURE_CATALOG } from '@bnpl/platform';
import { GrpcExceptionFilter } from '../errors/grpc-exception.filter';
import { ResourceNotFoundError } from '../errors/resource-not-found.error';
import { throwIfRejected, type RejectedRequest } from '../grpc/request-guards';
import { toFeatureService, toGetCatalogResponse } from './catalog.mapper';
import { encodeOnlineFeaturesResponse, servingSchemaOf, toGetOnlineFeaturesCommand, type ServingSchema } from './online-features.mapper';

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
    @Inject(DECISION_SERVING) private readonly decisions: DecisionServing,
    @Inject(FEATURE_CATALOG) catalog: Catalog,
  ) {
    const description = describeCatalog(catalog);
    this.schema = servingSchemaOf(description);
    this.catalogResponse = toGetCatalogResponse(description);
    this.services = new Map(description.services.map((s) => [s.name, { feature_service: toFeatureService(s) }]));
  }

  @GrpcMethod(FEATURE_SERVING_SERVICE, 'GetOnlineFeatures')
  @RequireScope('features:read', { features: featuresInMessage('feature_service', 'features.refs') })
  async getOnlineFeatures(request: GetOnlineFeaturesRequest__Output | RejectedRequest, metadata: Metadata, call: ServerUnaryCall<unknown, unknown>): Promise<EncodedGetOnlineFeaturesResponse> {
    // The decision id travels in `x-decision-id` metadata both ways (response headers).
    const result = await this.decisions.serve(toGetOnlineFeaturesCommand(throwIfRejected(request), this.schema), grpcDecision(metadata, call));
    // Encoded here, straight from the result; the installed serializer (installFastEncoders) sends the bytes.
    return encodeOnlineFeaturesResponse(result, this.schema);
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
