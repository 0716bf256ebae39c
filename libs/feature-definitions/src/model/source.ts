/**
 * Logical column types of source tables. They say how a value is read and compared, not how it is
 * stored: `INT64` covers smallint/integer/bigint quantities, `ID` bigint identifiers (carried as
 * decimal strings, never summed), `MONEY_MINOR` an integer amount in minor units in the row's currency.
 */
export const ColumnType = {
  ID: 'ID',
  INT64: 'INT64',
  MONEY_MINOR: 'MONEY_MINOR',
  STRING: 'STRING',
  BOOL: 'BOOL',
  /** A calendar date (SQL `date`), UTC. */
  DATE: 'DATE',
  /** An instant (SQL `timestamptz`). */
  TIMESTAMP: 'TIMESTAMP',
} as const;
export type ColumnType = (typeof ColumnType)[keyof typeof ColumnType];

export interface ColumnDefinition {
  readonly type: ColumnType;
  readonly nullable?: boolean;
  /** For STRING columns with a closed vocabulary (a CHECK constraint): predicate literals must be one of these. */
  readonly values?: readonly string[];
  readonly description?: string;
}

/**
 * A typed descriptor of a source table. Only the columns declared here can be used by features, which
 * is how validation rejects typos and how PII stays out of features: PII columns are simply not declared.
 */
export interface SourceDefinition {
  /** The table name (lower_snake_case, unqualified). */
  readonly name: string;
  readonly description: string;
  readonly columns: Readonly<Record<string, ColumnDefinition>>;
  /** For each entity this source can be joined to: entity name -> the column holding its id. */
  readonly keys: Readonly<Record<string, string>>;
  /**
   * The DATE or TIMESTAMP column windows are computed over (the one the `(key, time)` indexes cover).
   * A source without one cannot be windowed.
   */
  readonly timeColumn?: string;
  /**
   * What the table can tell about its past: which rows existed at an earlier instant and what their
   * columns held then. Backfills read only this (see `SourceHistory`); without it, no feature over the
   * table can be backfilled.
   */
  readonly history?: SourceHistory;
  /**
   * Columns the table has that features may never read (PII). Not declared above on purpose; listed so the
   * streaming path knows them and does not report them as unknown columns.
   */
  readonly privateColumns?: readonly string[];
}

/**
 * A column whose value at a past instant follows from the row's own times, though the table keeps only
 * the current value. The one rule the BNPL tables need: an instalment's repayment state.
 * - `status`: paid by the instant (its `paidAt` at or before it) -> `paid`; otherwise, past its `dueDate`
 *   -> `overdue`, else `scheduled`; any other current status (cancelled, written off: set without a time)
 *   is taken as it is now.
 * - `days_late`: paid by the instant -> the current value (frozen at payment); otherwise the days from
 *   `dueDate` to the instant's UTC date, 0 when not yet due.
 */
export interface RebuiltColumn {
  readonly rule: 'instalment_status' | 'instalment_days_late';
  /** TIMESTAMP column: when the row was settled (null while open). */
  readonly paidAt: string;
  /** DATE column: when the row falls due. */
  readonly dueDate: string;
}

/**
 * How far a source table can answer "as of" an earlier instant. A backfill computes a feature only from
 * what this declares; everything else is current state, which is not history.
 */
export interface SourceHistory {
  /**
   * TIMESTAMP set when a row is inserted and never changed: a row created after an instant did not exist
   * at it. The entity's own table needs one for any of its views to be backfilled (no entity before its
   * creation).
   */
  readonly createdAt?: string;
  /**
   * For a table without `createdAt`: a row dated (by `timeColumn`) on or before a day existed by the end
   * of it (an instalment is created with its order, before it falls due). Lets windowed aggregates, which
   * only read rows dated up to the as-of day, be backfilled.
   */
  readonly datedRowsExisted?: boolean;
  /** Columns never changed once the row is written. */
  readonly immutable?: readonly string[];
  /** Mutable columns whose past value is rebuilt from the row's times. */
  readonly rebuilt?: Readonly<Record<string, RebuiltColumn>>;
}

type ColumnOptions = Omit<ColumnDefinition, 'type'>;

/** Column descriptor builders. */
export const column = {
  id: (o: ColumnOptions = {}): ColumnDefinition => ({ type: ColumnType.ID, ...o }),
  int64: (o: ColumnOptions = {}): ColumnDefinition => ({ type: ColumnType.INT64, ...o }),
  moneyMinor: (o: ColumnOptions = {}): ColumnDefinition => ({ type: ColumnType.MONEY_MINOR, ...o }),
  string: (o: ColumnOptions = {}): ColumnDefinition => ({ type: ColumnType.STRING, ...o }),
  bool: (o: ColumnOptions = {}): ColumnDefinition => ({ type: ColumnType.BOOL, ...o }),
  date: (o: ColumnOptions = {}): ColumnDefinition => ({ type: ColumnType.DATE, ...o }),
  timestamp: (o: ColumnOptions = {}): ColumnDefinition => ({ type: ColumnType.TIMESTAMP, ...o }),
};

/** True for columns whose values can be summed or maxed. */
export function isNumericColumnType(type: ColumnType): boolean {
  return type === ColumnType.INT64 || type === ColumnType.MONEY_MINOR;
}

/** True for columns that can carry a window or an age. */
export function isTemporalColumnType(type: ColumnType): boolean {
  return type === ColumnType.DATE || type === ColumnType.TIMESTAMP;
}

/** Declares a source. */
export function defineSource<const T extends SourceDefinition>(definition: T): T {
  return definition;
}
