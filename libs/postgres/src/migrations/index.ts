import { SourceSchema1732406400000 } from './1732406400000-source-schema';
import { Jobs1764000000000 } from './1764000000000-jobs';
import { ApiKeys1764600000000 } from './1764600000000-api-keys';
import { JobLeases1764800000000 } from './1764800000000-job-leases';
import { FeatureChangeLog1764800000001 } from './1764800000001-feature-change-log';
import { JobSchedules1764750000000 } from './1764750000000-job-schedules';
import { OnlineStoreGeneration1764900000000 } from './1764900000000-online-store-generation';
import { JobQuotas1765200000000 } from './1765200000000-job-quotas';
import { ServiceRoles1765300000000 } from './1765300000000-service-roles';
import { ReplicaIdentityKeys1765400000000 } from './1765400000000-replica-identity-keys';

/** Every migration, in order. A new migration is added here and nowhere else. */
export const migrations = [SourceSchema1732406400000, Jobs1764000000000, ApiKeys1764600000000, JobSchedules1764750000000, JobLeases1764800000000, FeatureChangeLog1764800000001, OnlineStoreGeneration1764900000000, JobQuotas1765200000000, ServiceRoles1765300000000, ReplicaIdentityKeys1765400000000];
