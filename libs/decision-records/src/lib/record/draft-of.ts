import { isMoney, type Catalog, type FeatureValue } from '@bnpl/feature-definitions';
import type { GetOnlineFeaturesCommand, TracedResult } from '@bnpl/serving';
import type { DecisionDraft, DecisionEdge, DecisionPrincipal, ServedRow } from './decision-record';
import { definitionFingerprints } from './definition-fingerprint';

/** Who asked for a decision, through which edge, under which id: what the edge knows and the read path does not. */
export interface DecisionContext {
  readonly decisionId: string;
  readonly edge: DecisionEdge;
  readonly principal: DecisionPrincipal | null;
}

function isFeatureValue(value: unknown): value is FeatureValue {
  return typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean' || isMoney(value);
}

/** The record of an answer: the answer as served, how it was made, and who asked. */
export function draftOf(catalog: Catalog, command: GetOnlineFeaturesCommand, traced: TracedResult, context: DecisionContext): DecisionDraft {
  const { result, trace } = traced;
  const rows = result.results.map((r, i): ServedRow => {
    const origins = trace.rows[i];
    const entityRow: Record<string, string> = {};
    for (const key in r.entityRow) {
      const id = r.entityRow[key];
      if (id !== undefined) entityRow[key] = id;
    }
    return { entityRow, values: r.values.map((v, j) => ({ value: v.value, status: v.status, eventTime: v.eventTime, origin: origins.origins[j], streamed: origins.streamed[j] })) };
  });
  const requestContext: Record<string, FeatureValue> = {};
  for (const [name, value] of Object.entries(command.requestContext ?? {})) if (isFeatureValue(value)) requestContext[name] = value;
  return {
    decisionId: context.decisionId,
    servedAt: trace.servedAt,
    edge: context.edge,
    principal: context.principal,
    featureService: command.featureService ?? null,
    featureNames: result.feature_names,
    definitions: definitionFingerprints(catalog, trace.views),
    requestContext,
    streamWatermark: trace.streamWatermarkMs > 0 ? new Date(trace.streamWatermarkMs) : null,
    rows,
  };
}
