import { type SourceFeatureReader } from '@bnpl/feature-definitions';
import { inChildSpan } from '@bnpl/observability';

/**
 * The read path's source reader with a span per fallback read (`source read`, the view and the number of
 * entities), so that a traced read shows where PostgreSQL answered a miss; the driver's query spans nest
 * beneath it. Outside a sampled trace it adds one lookup. Range reads (batch jobs) are passed through.
 */
export function tracedSourceReader(source: SourceFeatureReader): SourceFeatureReader {
  return {
    readView: (viewName, entityIds, asOf) => inChildSpan('source read', { 'bnpl.view': viewName, 'bnpl.entities': entityIds.length }, () => source.readView(viewName, entityIds, asOf)),
    readViewRange: (viewName, fromId, toId, asOf) => source.readViewRange(viewName, fromId, toId, asOf),
  };
}
