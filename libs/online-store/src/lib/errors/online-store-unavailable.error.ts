// Moved to the domain, beside the OnlineStore port: one class, so `instanceof` holds across libs.
export { OnlineStoreUnavailableError } from '@bnpl/feature-definitions';
