/** The GetOnlineFeatures use case of this app (provided by ServingModule). */
export const GET_ONLINE_FEATURES = Symbol('GET_ONLINE_FEATURES');
