/**
 * A named, versioned bundle of features that a consumer (the risk engine) asks for as a whole.
 * A published version never changes meaning: change the features, bump the version (a new name).
 */
export interface FeatureServiceDefinition {
  /** `<base>_v<version>`, e.g. `credit_decision_v1`. */
  readonly name: string;
  readonly version: number;
  readonly owner: string;
  readonly description: string;
  /** `view:feature` or `view:*` refs to stored or request-time views, in the order consumers see them. */
  readonly features: readonly string[];
}

/** Declares a feature service. */
export function defineFeatureService(definition: FeatureServiceDefinition): FeatureServiceDefinition {
  return definition;
}
