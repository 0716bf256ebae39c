import {
  InvalidRequestInputError,
  describeValue,
  isValidEntityId,
  isValueOfType,
  parseFeatureRef,
  type AnyRequestFeatureDefinition,
  type Catalog,
  type FeatureValue,
  type FeatureView,
  type RequestFeatureView,
  type ResolvedFeature,
  type ValueType,
} from '@bnpl/feature-definitions';
import { LRUCache } from 'lru-cache';
import { InvalidFeatureRequestError } from '../../errors/invalid-feature-request.error';
import { MAX_ENTITY_ROWS, type EntityRow, type GetOnlineFeaturesCommand } from './get-online-features.command';

/** One stored feature to serve: the view (and so the entity) it is read from, and what stands in for no value. */
export interface StoredFeatureRead {
  readonly view: FeatureView;
  readonly feature: string;
  readonly default: FeatureValue;
}

/** How one output value of a row is produced (one slot per feature, in `featureNames` order). */
export type ValueSlot =
  | { readonly kind: 'stored'; readonly read: StoredFeatureRead }
  | {
      readonly kind: 'request';
      readonly view: RequestFeatureView;
      readonly feature: AnyRequestFeatureDefinition;
      /** The stored features it reads, by `view:feature` ref; `read` null for a ref naming no stored feature. */
      readonly reads: ReadonlyArray<{ readonly ref: string; readonly read: StoredFeatureRead | null }>;
    };

/** A request input that request-time features need, and which of them need it (for the error message). */
export interface RequestInputNeed {
  readonly name: string;
  readonly type: ValueType;
  readonly usedBy: readonly string[];
}

/**
 * What a feature selection (a feature service, or a list of refs) reads, resolved against the catalog. It
 * depends on the selection alone, not on the rows, so one is shared by every request with the same
 * selection: never mutate it.
 */
export interface FeatureSelection {
  /** Names the selection in error messages: the service name, or "the requested features". */
  readonly subject: string;
  /** Full `view:feature` refs, `view:*` expanded, each once, in request (or service) order. */
  readonly featureNames: readonly string[];
  /** Stored views to read: the selected features' views, then those request-time features read. */
  readonly storedViews: readonly FeatureView[];
  /**
   * Each stored view's position in `storedViews`, and so of every stored read of the selection (its slots'
   * and its request-time features'): assembly and tracing look each row's pairs up once per view by it.
   */
  readonly viewIndex: ReadonlyMap<FeatureView, number>;
  /** Join key -> the first stored view needing it: every entity row must carry these ids. */
  readonly requiredJoinKeys: ReadonlyMap<string, string>;
  /** Request inputs to validate, in the order they are checked. */
  readonly requestInputs: readonly RequestInputNeed[];
  readonly slots: readonly ValueSlot[];
}

/** What one request reads, validated. */
export interface ReadPlan {
  readonly selection: FeatureSelection;
  /** The request's rows, as given (validated). */
  readonly rows: readonly EntityRow[];
}

/** Most feature selections a planner remembers. Services are few; feature lists are what clients send. */
export const DEFAULT_MAX_CACHED_SELECTIONS = 256;

/**
 * Longest cache key kept (about a hundred refs). Longer lists are resolved on every call: a client may send
 * megabytes of refs, and the cache must stay small whatever clients send.
 */
export const MAX_CACHED_KEY_LENGTH = 4_096;

/**
 * Validates read commands and plans them against one catalog. The resolution of a selection is the same on
 * every call with the same service or feature list, so the last `maxCachedSelections` are kept (by least
 * recent use); rows and request inputs are validated on every call. Only selections that resolved are
 * kept: a bad one throws every time.
 */
export class ReadPlanner {
  readonly #joinKeys: readonly string[];
  /** Every request input of the catalog: a request naming another is rejected, whatever its selection. */
  readonly #requestInputs: ReadonlySet<string>;
  readonly #selections: LRUCache<string, FeatureSelection>;

  constructor(
    private readonly catalog: Catalog,
    maxCachedSelections = DEFAULT_MAX_CACHED_SELECTIONS,
  ) {
    this.#joinKeys = catalog.entities.map((e) => e.joinKey);
    this.#requestInputs = requestInputsOf(catalog);
    this.#selections = new LRUCache<string, FeatureSelection>({ max: maxCachedSelections });
  }

  /** Throws InvalidFeatureRequestError, InvalidRequestInputError or the catalog's errors, in that order of checks. */
  plan(command: GetOnlineFeaturesCommand): ReadPlan {
    const selection = this.selection(command);
    const rows = validateEntityRows(command.entityRows, selection, this.#joinKeys);
    validateRequestContext(command.requestContext, selection, this.#requestInputs);
    return { selection, rows };
  }

  /** The command's resolved selection, from the cache when it was resolved before. */
  selection(command: Pick<GetOnlineFeaturesCommand, 'featureService' | 'features'>): FeatureSelection {
    const key = cacheableKey(command);
    const cached = key === null ? undefined : this.#selections.get(key);
    if (cached) return cached;
    const selection = resolveSelection(this.catalog, command);
    if (key !== null) this.#selections.set(key, selection);
    return selection;
  }
}

/** The cache key of a selection, or null when it is not to be cached (see `selectionKey`, MAX_CACHED_KEY_LENGTH). */
function cacheableKey(command: Pick<GetOnlineFeaturesCommand, 'featureService' | 'features'>): string | null {
  const key = selectionKey(command);
  return key !== null && key.length <= MAX_CACHED_KEY_LENGTH ? key : null;
}

/**
 * The key of a selection, or null when it must not be cached: a non-string service name or ref might
 * stringify like a valid one, and must still be rejected as what it is. The list is JSON-encoded so that no
 * malformed ref (one holding a separator) can spell the key of a valid list.
 */
function selectionKey({ featureService, features }: Pick<GetOnlineFeaturesCommand, 'featureService' | 'features'>): string | null {
  if (featureService !== undefined && features === undefined) return typeof featureService === 'string' ? `service\0${featureService}` : null;
  if (featureService === undefined && Array.isArray(features) && features.every((f) => typeof f === 'string')) return `features\0${JSON.stringify(features)}`;
  return null;
}

/**
 * Resolves exactly one of a feature service or a list of feature refs. Throws InvalidFeatureRequestError
 * (INVALID_FEATURE_SELECTION) for both, neither or an empty list, and the catalog's errors
 * (UNKNOWN_FEATURE_SERVICE, UNKNOWN_FEATURE_VIEW, UNKNOWN_FEATURE, INVALID_FEATURE_REF) naming a bad name.
 */
export function resolveSelection(catalog: Catalog, { featureService, features }: Pick<GetOnlineFeaturesCommand, 'featureService' | 'features'>): FeatureSelection {
  if ((featureService === undefined) === (features === undefined)) {
    throw new InvalidFeatureRequestError('INVALID_FEATURE_SELECTION', 'Give either a feature service or a list of features, not both and not neither');
  }
  let resolved: readonly ResolvedFeature[];
  let storedViews: readonly FeatureView[];
  let inputs: Readonly<Record<string, ValueType>>;
  if (featureService !== undefined) {
    ({ features: resolved, storedViews, requestInputs: inputs } = catalog.resolveService(featureService));
  } else {
    if (!Array.isArray(features) || features.length === 0) {
      throw new InvalidFeatureRequestError('INVALID_FEATURE_SELECTION', 'The list of features is empty');
    }
    resolved = catalog.resolveRefs(features);
    // The same order as the catalog gives a service: the stored features' views, then what request-time features read.
    const views: FeatureView[] = [];
    const needed: Record<string, ValueType> = {};
    const addView = (v: FeatureView) => views.includes(v) || views.push(v);
    for (const f of resolved) if (f.kind === 'stored') addView(f.view);
    for (const f of resolved) {
      if (f.kind !== 'request') continue;
      Object.assign(needed, f.feature.inputs);
      for (const ref of f.feature.reads) addView(catalog.getView(parseFeatureRef(ref)?.view ?? ref));
    }
    storedViews = views;
    inputs = needed;
  }
  const requiredJoinKeys = new Map<string, string>();
  for (const v of storedViews) if (!requiredJoinKeys.has(v.entity.joinKey)) requiredJoinKeys.set(v.entity.joinKey, v.name);
  const slots = resolved.map((f) => valueSlot(catalog, f));
  return {
    subject: featureService ?? 'the requested features',
    featureNames: resolved.map((f) => f.ref),
    storedViews,
    viewIndex: indexOfViews(storedViews, slots),
    requiredJoinKeys,
    requestInputs: Object.entries(inputs).map(([name, type]) => ({
      name,
      type,
      usedBy: resolved.filter((f) => f.kind === 'request' && name in f.feature.inputs).map((f) => f.ref),
    })),
    slots,
  };
}

/** `storedViews` by position; every read of `slots` is of one of them (the catalog's resolution lists them all). */
function indexOfViews(storedViews: readonly FeatureView[], slots: readonly ValueSlot[]): ReadonlyMap<FeatureView, number> {
  const index = new Map(storedViews.map((view, i) => [view, i]));
  const reads = slots.flatMap((slot) => (slot.kind === 'stored' ? [slot.read] : slot.reads.flatMap((r) => (r.read ? [r.read] : []))));
  const unlisted = reads.find((read) => !index.has(read.view));
  if (unlisted) throw new Error(`Read plan: view ${unlisted.view.name} is read but not among the selection's stored views`);
  return index;
}

function valueSlot(catalog: Catalog, f: ResolvedFeature): ValueSlot {
  if (f.kind === 'stored') return { kind: 'stored', read: { view: f.view, feature: f.feature.name, default: f.feature.default } };
  return { kind: 'request', view: f.view, feature: f.feature, reads: f.feature.reads.map((ref) => ({ ref, read: storedFeatureRead(catalog, ref) })) };
}

/** The stored feature a request-time feature reads; null when the ref names none (a validated catalog has no such ref). */
function storedFeatureRead(catalog: Catalog, ref: string): StoredFeatureRead | null {
  const parsed = parseFeatureRef(ref);
  if (!parsed) return null;
  const view = catalog.getView(parsed.view);
  const def = view.features.find((f) => f.name === parsed.feature);
  return def ? { view, feature: def.name, default: def.default } : null;
}

/**
 * Checks the rows: 1 to MAX_ENTITY_ROWS objects, every id given well formed (any of `joinKeys`), the ids
 * the selection needs present, no two rows alike. Returns them as given. Throws InvalidFeatureRequestError
 * locating the first bad row (and field).
 */
export function validateEntityRows(rows: unknown, selection: Pick<FeatureSelection, 'requiredJoinKeys' | 'subject'>, joinKeys: readonly string[]): EntityRow[] {
  if (!Array.isArray(rows) || rows.length === 0) {
    throw new InvalidFeatureRequestError('EMPTY_ENTITY_ROWS', 'No entity rows: give at least one');
  }
  if (rows.length > MAX_ENTITY_ROWS) {
    throw new InvalidFeatureRequestError('TOO_MANY_ENTITY_ROWS', `Too many entity rows: ${rows.length}, at most ${MAX_ENTITY_ROWS} per request`);
  }
  const seen = new Map<string, number>();
  return rows.map((row: unknown, rowIndex): EntityRow => {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      throw new InvalidFeatureRequestError('INVALID_ENTITY_ROW', `Entity row ${rowIndex}: expected an object of entity ids, got ${describeValue(row)}`, { rowIndex });
    }
    const ids = row as Record<string, unknown>;
    for (const field of joinKeys) {
      const id = ids[field];
      if (id !== undefined && !isValidEntityId(id)) {
        throw new InvalidFeatureRequestError(
          'INVALID_ENTITY_ID',
          `Entity row ${rowIndex}: invalid ${field} ${describeValue(id)}: expected a positive integer as a decimal string (no leading zeros, at most 9223372036854775807)`,
          { rowIndex, field },
        );
      }
    }
    for (const [field, view] of selection.requiredJoinKeys) {
      if (ids[field] === undefined) {
        throw new InvalidFeatureRequestError('MISSING_ENTITY_ID', `Entity row ${rowIndex}: no ${field}, which ${selection.subject} needs (view ${view})`, { rowIndex, field });
      }
    }
    const key = joinKeys.map((k) => ids[k] ?? '').join('\0');
    const first = seen.get(key);
    if (first !== undefined) {
      const described = joinKeys.filter((k) => ids[k] !== undefined).map((k) => `${k}=${ids[k] as string}`).join(', ');
      throw new InvalidFeatureRequestError('DUPLICATE_ENTITY_ROW', `Entity row ${rowIndex} (${described}) repeats entity row ${first}`, { rowIndex });
    }
    seen.set(key, rowIndex);
    return ids as EntityRow;
  });
}

/** The names of every request input the catalog's request-time views declare. */
export function requestInputsOf(catalog: Pick<Catalog, 'requestViews'>): ReadonlySet<string> {
  return new Set(catalog.requestViews.flatMap((v) => v.features.flatMap((f) => Object.keys(f.inputs))));
}

/**
 * Checks the request context: with `known`, every name given must be one of them (an unknown input is
 * rejected, as a misspelt one would otherwise be ignored: one rule for every edge); then every input the
 * selection needs must be given with its type. Throws InvalidRequestInputError naming the first that is not.
 */
export function validateRequestContext(context: unknown, selection: Pick<FeatureSelection, 'requestInputs'>, known?: ReadonlySet<string>): void {
  const inputs = (typeof context === 'object' && context !== null ? context : {}) as Record<string, unknown>;
  if (known) {
    for (const name of Object.keys(inputs)) {
      if (!known.has(name)) throw new InvalidRequestInputError(name, `unknown request input (known: ${[...known].join(', ') || 'none'})`);
    }
  }
  for (const { name, type, usedBy } of selection.requestInputs) {
    const value = inputs[name];
    if (value === undefined || value === null) throw new InvalidRequestInputError(name, `required by ${usedBy.join(', ')}`);
    if (!isValueOfType(type, value)) throw new InvalidRequestInputError(name, `${describeValue(value)} is not a valid ${type}`);
  }
}
