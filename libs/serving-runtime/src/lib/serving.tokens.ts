/** The GetOnlineFeatures use case (from @bnpl/serving) of this process, provided by ServingModule. */
export const GET_ONLINE_FEATURES = Symbol('GET_ONLINE_FEATURES');
/** The feature catalog this process serves (a `Catalog` from @bnpl/feature-definitions). */
export const FEATURE_CATALOG = Symbol('FEATURE_CATALOG');
