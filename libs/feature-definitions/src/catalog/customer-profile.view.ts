import { compute, defineFeatureView, feature } from '../model/feature-view';
import { ValueType } from '../model/value-type';
import { DAY, Owner } from './owners';

export const customerProfileView = defineFeatureView({
  name: 'customer_profile',
  entity: 'customer',
  owner: Owner.CREDIT_RISK,
  description: 'Slow-changing facts about the account.',
  ttlSeconds: DAY,
  features: [
    feature({
      name: 'account_age_days',
      valueType: ValueType.INT64,
      default: 0,
      description: 'UTC calendar days from account creation to the as-of date (0 on the day of creation).',
      compute: compute.ageDays('created_at'),
    }),
    feature({
      name: 'kyc_level',
      valueType: ValueType.INT64,
      default: 0,
      description: 'KYC verification level, 0 (none) to 3 (fully verified). Default 0: unverified.',
      compute: compute.attribute('kyc_level'),
    }),
    feature({
      name: 'country',
      valueType: ValueType.STRING,
      default: 'ZZ',
      description: 'Country of residence, ISO 3166-1 alpha-2. Default ZZ (user-assigned code: unknown).',
      compute: compute.attribute('country'),
    }),
    feature({
      name: 'account_status',
      valueType: ValueType.STRING,
      default: 'unknown',
      description: 'active | suspended | closed. A decision must not approve a non-active account.',
      compute: compute.attribute('status'),
    }),
  ],
});
