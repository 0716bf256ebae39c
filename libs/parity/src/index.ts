// Public API of @bnpl/parity: the verification that the online store, and the offline history's latest
// rows, hold what the batch SQL computes (`npm run parity`, the e2e suites, the local stack). A tool of its own, not part of the batch domain.
export { checkOfflineParity, type OfflineParityDeps } from './lib/check-offline-parity';
export { checkParity, type ParityDeps, type ParityMismatch, type ParityOptions, type ParityProgress, type ParityReport } from './lib/check-parity';
export { featureValuesEqual } from './lib/feature-values-equal';
export { InvalidParityOptionsError } from './lib/invalid-parity-options.error';
