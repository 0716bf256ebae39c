import { assertEntityId, type Catalog } from '@bnpl/feature-definitions';
import type { EntityKey } from './online-store.port';

/**
 * Short entity prefixes of the storage key layout (README.md): a few bytes less per key matters at
 * millions of keys. Any other catalog entity uses its full name, which cannot collide with these: entity
 * names are lower_snake_case identifiers and none is a single letter.
 */
const ENTITY_PREFIX: Readonly<Record<string, string>> = { customer: 'c', merchant: 'm' };

/**
 * `c:123` for customer 123: the identity of an entity in every adapter (the Redis hash tag, the
 * in-memory map key, the L1 cache key). Throws CatalogError(UNKNOWN_ENTITY) for an entity the catalog
 * does not define and InvalidEntityIdError for a non-canonical id, so no malformed key reaches a backend.
 */
export function entityTag(catalog: Catalog, key: EntityKey): string {
  const prefix = ENTITY_PREFIX[key.entity] ?? catalog.getEntity(key.entity).name;
  assertEntityId(key.id);
  return `${prefix}:${key.id}`;
}
