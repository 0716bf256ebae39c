import { type ValueComparison } from '../report/targets';

/** The parts of a features body that must not depend on where the values came from. */
interface FeaturesBody {
  readonly feature_names: readonly string[];
  readonly results: ReadonlyArray<{ readonly values: ReadonlyArray<{ readonly value: unknown; readonly status: string }> }>;
}

const MAX_SAMPLES = 5;

/**
 * Compares bodies served now with bodies captured earlier for the same request (customer id): feature
 * names, and each feature's value and status. Event times are not compared: a value recomputed from the
 * source carries the time it was computed.
 */
export class ValueComparer {
  readonly #reference = new Map<number, FeaturesBody>();
  readonly #samples: string[] = [];
  #compared = 0;
  #mismatches = 0;

  /** `reference`: body text by customer id. */
  constructor(reference: ReadonlyMap<number, string>) {
    for (const [id, text] of reference) this.#reference.set(id, JSON.parse(text) as FeaturesBody);
  }

  /** Whether a body for this customer can be compared (parse only those). */
  has(customerId: number): boolean {
    return this.#reference.has(customerId);
  }

  compare(customerId: number, bodyText: string): void {
    const expected = this.#reference.get(customerId);
    if (!expected) return;
    this.#compared++;
    const difference = firstDifference(expected, JSON.parse(bodyText) as FeaturesBody);
    if (difference === null) return;
    this.#mismatches++;
    if (this.#samples.length < MAX_SAMPLES) this.#samples.push(`customer ${customerId}: ${difference}`);
  }

  result(): ValueComparison {
    return { compared: this.#compared, mismatches: this.#mismatches, mismatchSamples: [...this.#samples] };
  }
}

function firstDifference(expected: FeaturesBody, actual: FeaturesBody): string | null {
  if (JSON.stringify(expected.feature_names) !== JSON.stringify(actual.feature_names)) return 'different feature names';
  const [want, got] = [expected.results[0]?.values ?? [], actual.results[0]?.values ?? []];
  if (want.length !== got.length) return `${got.length} values, expected ${want.length}`;
  for (let i = 0; i < want.length; i++) {
    const [w, g] = [want[i], got[i]];
    if (JSON.stringify(w.value) !== JSON.stringify(g.value) || w.status !== g.status) {
      return `${expected.feature_names[i]} ${JSON.stringify(g.value)} (${g.status}), expected ${JSON.stringify(w.value)} (${w.status})`;
    }
  }
  return null;
}
