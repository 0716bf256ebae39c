/** The GetOnlineFeatures use case (from @bnpl/serving) of this process, provided by ServingModule. */
export const GET_ONLINE_FEATURES = Symbol('GET_ONLINE_FEATURES');
