import { SourceSchema1732406400000 } from './1732406400000-source-schema';

/** Every migration, in order. A new migration is added here and nowhere else. */
export const migrations = [SourceSchema1732406400000];
