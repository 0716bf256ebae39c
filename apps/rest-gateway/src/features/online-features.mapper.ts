import { type EntityRow, type GetOnlineFeaturesCommand } from '@bnpl/serving';
import { fromRequestInputs } from '../http/values.mapper';
import { type OnlineFeaturesRequest } from './online-features.schema';

/**
 * A validated `POST /v1/features/online` body -> the read path's command: ids as decimal strings,
 * request inputs in the domain's form (MONEY `amount_minor` -> `amountMinor`).
 */
export function toOnlineFeaturesCommand(request: OnlineFeaturesRequest): GetOnlineFeaturesCommand {
  const entityRows = request.entities.map((row): EntityRow => {
    const ids: Record<string, string> = {};
    for (const [joinKey, id] of Object.entries(row)) if (id !== undefined) ids[joinKey] = String(id);
    return ids;
  });
  return {
    ...(request.feature_service !== undefined ? { featureService: request.feature_service } : {}),
    ...(request.features !== undefined ? { features: request.features } : {}),
    entityRows,
    ...(request.request_context !== undefined ? { requestContext: fromRequestInputs(request.request_context) } : {}),
  };
}
