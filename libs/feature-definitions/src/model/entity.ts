/**
 * An entity: the thing features describe (a customer, a merchant). Its ids are positive integers carried
 * as decimal strings (bigint in SQL).
 */
export interface EntityDefinition {
  /** lower_snake_case, e.g. `customer`. */
  readonly name: string;
  /** The column name other sources use to point at this entity, e.g. `customer_id`. */
  readonly joinKey: string;
  /** The source (table) holding one row per entity; it must be keyed by this entity. */
  readonly table: string;
  /**
   * The column of `table` holding the entity's ISO 4217 currency. Every MONEY feature of the entity is
   * in this currency (a customer's plans are all in the customer's currency). Without it the entity
   * cannot have MONEY features.
   */
  readonly currencyColumn?: string;
  readonly description: string;
}

/** Declares an entity. Identity function kept for inference and for symmetry with the other `define*`. */
export function defineEntity<const T extends EntityDefinition>(definition: T): T {
  return definition;
}
