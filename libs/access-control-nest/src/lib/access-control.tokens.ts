/** Injection token of the app's AccessControl. */
export const ACCESS_CONTROL = Symbol('ACCESS_CONTROL');
/** Injection token of the ApiKeyAdmin use cases (the `/v1/keys` API). */
export const API_KEY_ADMIN = Symbol('API_KEY_ADMIN');
