import type { AnyFeatureDefinition, FeatureView } from '@bnpl/feature-definitions';
import type { FeatureSelection, SelectedFeature } from './feature-selection';

/**
 * Column names and logical types shared by every backend: the feature tables' layout and the training
 * sets' layout (see the lib README). Backends map the logical types to theirs.
 */
export type ColumnType = FeatureColumnType | 'TIMESTAMP';
/** The types a feature's stored column can have (MONEY is an INT64 and a STRING column). */
export type FeatureColumnType = 'INT64' | 'DOUBLE' | 'STRING' | 'BOOL';

export interface LayoutColumn<T extends ColumnType = ColumnType> {
  readonly name: string;
  readonly type: T;
}

export const ENTITY_ID = 'entity_id';
export const EVENT_TIMESTAMP = 'event_timestamp';
export const CREATED_AT = 'created_at';
/** Separates view, feature and part in output column names: names themselves are lower_snake_case. */
const SEP = '__';

/** A feature's stored columns: one typed column, or amount and currency for MONEY. */
export function featureColumns(feature: AnyFeatureDefinition, prefix = ''): LayoutColumn<FeatureColumnType>[] {
  const name = prefix + feature.name;
  switch (feature.valueType) {
    case 'MONEY':
      return [
        { name: `${name}${SEP}amount_minor`, type: 'INT64' },
        { name: `${name}${SEP}currency`, type: 'STRING' },
      ];
    case 'INT64':
    case 'DOUBLE':
    case 'STRING':
    case 'BOOL':
      return [{ name, type: feature.valueType }];
  }
}

/** The columns of a view's history table, in order. */
export function viewTableColumns(view: FeatureView): LayoutColumn[] {
  const columns: LayoutColumn[] = [
    { name: ENTITY_ID, type: 'INT64' },
    { name: EVENT_TIMESTAMP, type: 'TIMESTAMP' },
    { name: CREATED_AT, type: 'TIMESTAMP' },
    ...view.features.flatMap((f) => featureColumns(f)),
  ];
  const names = new Set(columns.map((c) => c.name));
  // Only a feature literally named `<money feature>__amount_minor` could clash; refuse rather than mix them up.
  if (names.size !== columns.length) throw new Error(`Feature view ${view.name}: its stored column names clash`);
  return columns;
}

/** One retrieved feature's output columns. */
export interface OutputFeature {
  readonly selected: SelectedFeature;
  /** The value's column(s), named `<view>__<feature>` (MONEY: `…__amount_minor`, `…__currency`). */
  readonly valueColumns: readonly LayoutColumn<FeatureColumnType>[];
  /** `<view>__<feature>__status`. */
  readonly statusColumn: string;
  /** Its view's `<view>__event_timestamp`. */
  readonly eventTimeColumn: string;
}

export interface OutputView {
  readonly view: FeatureView;
  /** The join key of the view's entity in the entity table. */
  readonly joinKey: string;
  /** `<view>__event_timestamp`: the event time of the row the view's values were judged from. */
  readonly eventTimeColumn: string;
  readonly features: readonly OutputFeature[];
}

/** A training set's columns: join keys, `event_timestamp`, labels, then per view its event time and features. */
export interface OutputLayout {
  readonly joinKeys: readonly string[];
  readonly labels: readonly string[];
  readonly views: readonly OutputView[];
  /** The features in request order (`views` groups them by view). */
  readonly features: readonly OutputFeature[];
  /** Every output column name, in order. */
  readonly columns: readonly string[];
}

export function outputLayout(selection: FeatureSelection, labels: readonly string[]): OutputLayout {
  const views = selection.views.map(
    ({ view, features }): OutputView => {
      const eventTimeColumn = `${view.name}${SEP}${EVENT_TIMESTAMP}`;
      return {
        view,
        joinKey: view.entity.joinKey,
        eventTimeColumn,
        features: features.map((selected) => ({
          selected,
          valueColumns: featureColumns(selected.feature, `${view.name}${SEP}`),
          statusColumn: `${view.name}${SEP}${selected.feature.name}${SEP}status`,
          eventTimeColumn,
        })),
      };
    },
  );
  const byRef = new Map(views.flatMap((v) => v.features.map((f) => [f.selected.ref, f] as const)));
  const features = selection.features.map((f) => byRef.get(f.ref) as OutputFeature);
  const columns = [
    ...selection.joinKeys,
    EVENT_TIMESTAMP,
    ...labels,
    ...views.flatMap((v) => [v.eventTimeColumn, ...v.features.flatMap((f) => [...f.valueColumns.map((c) => c.name), f.statusColumn])]),
  ];
  return { joinKeys: selection.joinKeys, labels, views, features, columns };
}

/** Output column names an entity table's labels may not take (lower case: SQL names are case-insensitive). */
export function reservedColumnNames(selection: FeatureSelection): ReadonlySet<string> {
  return new Set(outputLayout(selection, []).columns.map((c) => c.toLowerCase()));
}
