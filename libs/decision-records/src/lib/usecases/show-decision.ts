import type { Catalog } from '@bnpl/feature-definitions';
import { DecisionNotFoundError } from '../errors/decision-not-found.error';
import { decodeRecordBody, hashBody } from '../record/canonical-record';
import { checkDecisionId } from '../record/decision-id';
import type { DecisionRecord } from '../record/decision-record';
import { definitionFingerprints } from '../record/definition-fingerprint';
import type { DecisionOutcome, DecisionStore } from '../store/decision-store.port';

/** A served feature as an auditor reads it: what it means, from the catalog of today. */
export interface FeatureExplanation {
  readonly feature: string;
  /** The catalog's description; null when the feature is no longer in the catalog. */
  readonly description: string | null;
  /** Its view's definition changed since the decision (fingerprints differ): the description may be newer than the value. */
  readonly definitionChanged: boolean;
}

/** One decision as recorded, with its outcome and what each feature means. */
export interface DecisionView {
  readonly record: DecisionRecord;
  readonly hash: string;
  /** The stored body still matches its hash (`verify` checks the chain around it too). */
  readonly intact: boolean;
  readonly features: readonly FeatureExplanation[];
  readonly outcome: DecisionOutcome | null;
  /** Other answers given under the same decision id (a caller re-using its id), earliest first. */
  readonly repeats: ReadonlyArray<{ readonly instanceId: string; readonly sequence: number; readonly servedAt: Date }>;
}

/** `GET /v1/decisions/{id}`, `fs decisions show`: exactly what was served, and what it means. */
export class ShowDecision {
  constructor(
    private readonly store: DecisionStore,
    private readonly catalog: Catalog,
  ) {}

  /** Throws InvalidDecisionIdError for a malformed id, DecisionNotFoundError for an unknown one. */
  async execute(decisionId: string): Promise<DecisionView> {
    checkDecisionId(decisionId);
    const [records, outcome] = await Promise.all([this.store.find(decisionId), this.store.getOutcome(decisionId)]);
    const [first, ...others] = records;
    if (!first) throw new DecisionNotFoundError(decisionId);
    const record = decodeRecordBody(first.body);
    const current = definitionFingerprints(this.catalog, Object.keys(record.definitions));
    const features = record.featureNames.map((feature): FeatureExplanation => {
      const view = feature.slice(0, feature.indexOf(':'));
      return { feature, description: this.describe(feature), definitionChanged: current[view] !== undefined && current[view] !== record.definitions[view] };
    });
    return {
      record,
      hash: first.hash,
      intact: hashBody(first.body) === first.hash,
      features,
      outcome,
      repeats: others.map((r) => ({ instanceId: r.instanceId, sequence: r.sequence, servedAt: r.servedAt })),
    };
  }

  private describe(ref: string): string | null {
    const [viewName, featureName] = ref.split(':');
    const stored = this.catalog.views.find((v) => v.name === viewName)?.features.find((f) => f.name === featureName);
    if (stored) return stored.description;
    return this.catalog.requestViews.find((v) => v.name === viewName)?.features.find((f) => f.name === featureName)?.description ?? null;
  }
}
