import { type Problem } from './problem.schema';

/** An error answer in another API's format. */
export interface DialectAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/**
 * Another API's error format for the routes that imitate it (Feast's, for `POST /get-online-features`).
 * It is rendered from the problem the filter computed, so that which error gets which status is decided
 * in one place, and a dialect only changes the wording and, where its API differs, the status.
 */
export interface ErrorDialect {
  /** Whether errors of requests to this path (no query string) are answered in this dialect. */
  handles(path: string): boolean;
  render(problem: Problem): DialectAnswer;
}
