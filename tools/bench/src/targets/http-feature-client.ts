import { Pool } from 'undici';
import { restFeaturePath } from './feature-request';

const TIMEOUT_MS = 10_000;
/** The key each result row of a features body has once (rest-gateway writes it; the baseline serves its bodies). */
const ROW_MARKER = '"entity_row":';

/**
 * Reads one customer's features over HTTP/1.1 with keep-alive: an undici Pool of `connections`
 * connections to one origin, no pipelining (one request per connection at a time, as browsers and most
 * HTTP clients do). Works against rest-gateway and the baseline alike.
 */
export class HttpFeatureClient {
  readonly #pool: Pool;

  constructor(
    readonly origin: string,
    private readonly merchants: number,
    connections: number,
    /** Sent with every request (e.g. an `x-api-key` for a gateway with access control on). */
    private readonly headers: Readonly<Record<string, string>> = {},
  ) {
    this.#pool = new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 60_000, headersTimeout: TIMEOUT_MS, bodyTimeout: TIMEOUT_MS });
  }

  /**
   * GET the customer's credit_decision_v1 features. Resolves with the body; rejects unless the answer is a
   * 200 holding exactly one result row.
   */
  async get(customerId: number): Promise<string> {
    const { statusCode, body } = await this.#pool.request({ method: 'GET', path: restFeaturePath(customerId, this.merchants), headers: this.headers });
    const text = await body.text();
    if (statusCode !== 200) throw new Error(`HTTP ${statusCode}: ${text.slice(0, 200)}`);
    const rows = countResultRows(text);
    if (rows !== 1) throw new Error(`HTTP 200 with ${rows} result rows, expected 1`);
    return text;
  }

  /** Closes every connection at once, failing requests still in flight. */
  destroy(): Promise<void> {
    return this.#pool.destroy();
  }
}

/**
 * Result rows in a features body, by counting the key each row has once. A scan rather than JSON.parse:
 * the generator shares two cores with the server, and parsing every body would cost it more than the check
 * is worth (bodies compared value by value are parsed where that is done).
 */
export function countResultRows(body: string): number {
  let count = 0;
  for (let at = body.indexOf(ROW_MARKER); at !== -1; at = body.indexOf(ROW_MARKER, at + ROW_MARKER.length)) count++;
  return count;
}
