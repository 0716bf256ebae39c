import { Controller, Get, Inject, NotFoundException, Param } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { UnknownFeatureServiceError, type Catalog } from '@bnpl/feature-definitions';
import { describeCatalog, describeFeatureService } from '@bnpl/serving';
import { FEATURE_CATALOG } from '@bnpl/platform';
import { Requires } from '../auth/requires.decorator';
import { ApiJsonOk, ApiProblems } from '../openapi/api-docs';
import { toCatalogJson, toFeatureServiceJson } from './catalog.mapper';
import { type CatalogJson, type FeatureServiceJson } from './catalog.schema';

/** The catalog as plain data, described by the same functions as the gRPC catalog reads, written by catalog.mapper.ts. */
@ApiTags('catalog')
@Controller('v1/catalog')
export class CatalogController {
  /** The catalog never changes while the process runs: described and mapped once. */
  private readonly body: CatalogJson;

  constructor(@Inject(FEATURE_CATALOG) private readonly catalog: Catalog) {
    this.body = toCatalogJson(describeCatalog(catalog));
  }

  @Get()
  @Requires('catalog:read')
  @ApiOperation({ summary: 'The feature catalog', description: 'Entities, feature views (with types, defaults, TTLs, owners, descriptions) and feature services.' })
  @ApiJsonOk('Catalog', 'The whole catalog.')
  @ApiProblems(500)
  getCatalog(): CatalogJson {
    return this.body;
  }

  @Get('services/:name')
  @Requires('catalog:read')
  @ApiOperation({ summary: 'One feature service', description: 'Its features in serving order, the join keys each entity row needs and the request inputs.' })
  @ApiParam({ name: 'name', description: 'Feature service name', example: 'credit_decision_v1' })
  @ApiJsonOk('FeatureService', 'The feature service.')
  @ApiProblems(404, 500)
  getService(@Param('name') name: string): FeatureServiceJson {
    try {
      return toFeatureServiceJson(describeFeatureService(this.catalog, name));
    } catch (error) {
      // edgeStatusOf gives UNKNOWN_FEATURE_SERVICE 400: right where the name is an argument (a query or a
      // body), but here it names the resource the path identifies, and an unknown resource is a 404.
      // The reason stays UNKNOWN_FEATURE_SERVICE (the filter takes it from `cause`).
      if (error instanceof UnknownFeatureServiceError) throw new NotFoundException(error.message, { cause: error });
      throw error;
    }
  }
}
