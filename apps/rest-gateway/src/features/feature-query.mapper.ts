import { type GetOnlineFeaturesCommand } from '@bnpl/serving';
import { BadRequestException } from '@nestjs/common';

export interface FeatureQueryParams {
  service?: string | string[];
  features?: string | string[];
  merchant_id?: string | string[];
  requested_amount_minor?: string | string[];
  currency?: string | string[];
}

function single(name: string, value: string | string[] | undefined): string | undefined {
  if (Array.isArray(value)) throw new BadRequestException(`query parameter "${name}" given more than once`);
  return value;
}

/**
 * Query string -> command. Shape errors (repeated parameters, a bad amount) are 400s here; everything
 * about ids and feature names is validated once, by the use case.
 */
export function toFeatureQuery(customerId: string, query: FeatureQueryParams): GetOnlineFeaturesCommand {
  const service = single('service', query.service);
  const features = single('features', query.features);
  if ((service === undefined) === (features === undefined)) throw new BadRequestException('give exactly one of "service" or "features"');
  const merchantId = single('merchant_id', query.merchant_id);
  const amount = single('requested_amount_minor', query.requested_amount_minor);
  const currency = single('currency', query.currency);
  let requestContext: GetOnlineFeaturesCommand['requestContext'];
  if (amount !== undefined || currency !== undefined) {
    if (amount === undefined || !/^[1-9]\d{0,14}$/.test(amount)) throw new BadRequestException('"requested_amount_minor" must be a positive integer of minor units (at most 15 digits)');
    if (currency === undefined || !/^[A-Z]{3}$/.test(currency)) throw new BadRequestException('"currency" must be an ISO 4217 code such as EUR, with "requested_amount_minor"');
    // The query string carries the amount's parts; the read path takes domain money.
    requestContext = { requested_amount: { amountMinor: Number(amount), currency } };
  }
  return {
    ...(service !== undefined ? { featureService: service } : { features: (features ?? '').split(',').map((f) => f.trim()) }),
    entityRows: [{ customer_id: customerId, ...(merchantId !== undefined ? { merchant_id: merchantId } : {}) }],
    ...(requestContext ? { requestContext } : {}),
  };
}
