/**
 * Base of every error the feature store raises on purpose.
 *
 * `reason` is a stable UPPER_SNAKE code (in the spirit of `google.rpc.ErrorInfo.reason`): edges map it
 * once to an HTTP problem type or a gRPC status, and clients may branch on it. Messages are for humans
 * and may change; reasons may not.
 */
export abstract class FeatureStoreError extends Error {
  abstract readonly reason: string;

  protected constructor(message: string) {
    super(message);
    // Keeps `error.name` meaningful in logs without each subclass repeating it.
    this.name = new.target.name;
  }
}
