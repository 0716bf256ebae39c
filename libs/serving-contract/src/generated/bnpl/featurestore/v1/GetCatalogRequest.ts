// Original file: proto/bnpl/featurestore/v1/serving.proto


/**
 * GetCatalogRequest has no fields.
 */
export interface GetCatalogRequest {
}

/**
 * GetCatalogRequest has no fields.
 */
export interface GetCatalogRequest__Output {
}
