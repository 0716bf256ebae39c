import { CatalogError } from '../errors/catalog.error';
import { CatalogValidationError } from '../errors/catalog-validation.error';
import {
  InvalidFeatureRefError,
  UnknownFeatureError,
  UnknownFeatureServiceError,
  UnknownFeatureViewError,
} from '../errors/unknown-feature.error';
import type { EntityDefinition } from './entity';
import type { FeatureServiceDefinition } from './feature-service';
import { formatFeatureRef, parseFeatureRef } from './feature-ref';
import type { AnyFeatureDefinition, FeatureViewDefinition } from './feature-view';
import type { AnyRequestFeatureDefinition, RequestFeatureViewDefinition } from './request-feature-view';
import type { SourceDefinition } from './source';
import { validateCatalog, type CatalogDefinition } from './validate-catalog';
import type { ValueType } from './value-type';
import { buildViewPlan, type ResolvedEntity, type ViewPlan } from './view-plan';
import { classifyBackfill, type FeatureBackfill } from './backfill';
import { must } from '../internal/must';

/** A stored feature view as the catalog holds it: validated, frozen, with its entity and plan resolved. */
export interface FeatureView {
  readonly kind: 'stored';
  readonly name: string;
  readonly entity: ResolvedEntity;
  readonly owner: string;
  readonly description: string;
  readonly ttlSeconds: number;
  readonly features: readonly AnyFeatureDefinition[];
  /** How to compute it: shared by the SQL compiler, the JS evaluator and streaming. */
  readonly plan: ViewPlan;
  /** Per feature, what a backfill can say about its past values (from the sources' declared history). */
  readonly backfill: Readonly<Record<string, FeatureBackfill>>;
  readonly definition: FeatureViewDefinition;
}

/** A request-time feature view as the catalog holds it. */
export interface RequestFeatureView {
  readonly kind: 'request';
  readonly name: string;
  readonly owner: string;
  readonly description: string;
  readonly features: readonly AnyRequestFeatureDefinition[];
  /** Union of its features' request inputs. */
  readonly inputs: Readonly<Record<string, ValueType>>;
  /** Union of the stored features its features read (`view:feature`), in first-use order. */
  readonly reads: readonly string[];
  readonly definition: RequestFeatureViewDefinition;
}

/** One feature, resolved from a `view:feature` reference. */
export type ResolvedFeature =
  | { readonly kind: 'stored'; readonly ref: string; readonly view: FeatureView; readonly feature: AnyFeatureDefinition }
  | { readonly kind: 'request'; readonly ref: string; readonly view: RequestFeatureView; readonly feature: AnyRequestFeatureDefinition };

/** A feature service with everything a server needs to answer it. */
export interface ResolvedFeatureService {
  readonly service: FeatureServiceDefinition;
  /** The service's features, `view:*` expanded, in the service's order. */
  readonly features: readonly ResolvedFeature[];
  /**
   * The stored views to read: those of the service's stored features, then those that its request-time
   * features read, in first-use order.
   */
  readonly storedViews: readonly FeatureView[];
  /** Entity names whose ids a request must carry (from `storedViews`). */
  readonly entities: readonly string[];
  /** Request inputs the service's request-time features need. */
  readonly requestInputs: Readonly<Record<string, ValueType>>;
}

/**
 * A validated, frozen, indexed feature catalog. Built only by `defineCatalog`. Lookups throw a
 * `CatalogError` subclass with a stable `reason` naming what was not found.
 */
export class Catalog {
  readonly entities: readonly EntityDefinition[];
  readonly sources: readonly SourceDefinition[];
  readonly views: readonly FeatureView[];
  readonly requestViews: readonly RequestFeatureView[];
  readonly services: readonly FeatureServiceDefinition[];

  readonly #entities: ReadonlyMap<string, EntityDefinition>;
  readonly #sources: ReadonlyMap<string, SourceDefinition>;
  readonly #views: ReadonlyMap<string, FeatureView | RequestFeatureView>;
  readonly #services: ReadonlyMap<string, ResolvedFeatureService>;

  /** Validates and indexes `def`; prefer `defineCatalog`. Throws CatalogValidationError. */
  constructor(def: CatalogDefinition) {
    // Validation lives here, not only in defineCatalog, so that no Catalog can exist unvalidated.
    const problems = validateCatalog(def);
    if (problems.length > 0) throw new CatalogValidationError(problems);
    this.entities = def.entities;
    this.sources = def.sources;
    this.#entities = new Map(def.entities.map((e) => [e.name, e]));
    this.#sources = new Map(def.sources.map((s) => [s.name, s]));

    this.views = def.views.map((v) => {
      const e = must(this.#entities.get(v.entity), `entity ${v.entity}`);
      const source = must(this.#sources.get(e.table), `source ${e.table}`);
      const entity: ResolvedEntity = { ...e, source, idColumn: source.keys[e.name] };
      const plan = buildViewPlan(v.features, entity, this.#sources);
      const view: FeatureView = {
        kind: 'stored',
        name: v.name,
        entity,
        owner: v.owner,
        description: v.description,
        ttlSeconds: v.ttlSeconds,
        features: v.features,
        plan,
        backfill: classifyBackfill(plan, entity),
        definition: v,
      };
      return deepFreeze(view);
    });
    this.requestViews = (def.requestViews ?? []).map((v) => {
      const inputs: Record<string, ValueType> = {};
      const reads: string[] = [];
      for (const f of v.features) {
        Object.assign(inputs, f.inputs);
        for (const r of f.reads) if (!reads.includes(r)) reads.push(r);
      }
      return deepFreeze<RequestFeatureView>({
        kind: 'request',
        name: v.name,
        owner: v.owner,
        description: v.description,
        features: v.features,
        inputs,
        reads,
        definition: v,
      });
    });
    this.#views = new Map<string, FeatureView | RequestFeatureView>([
      ...this.views.map((v) => [v.name, v] as const),
      ...this.requestViews.map((v) => [v.name, v] as const),
    ]);
    this.services = def.services ?? [];
    this.#services = new Map(this.services.map((s) => [s.name, deepFreeze(this.#resolveService(s))]));
    deepFreeze(def);
    Object.freeze(this.views);
    Object.freeze(this.requestViews);
    Object.freeze(this);
  }

  /** The entity named `name`; throws CatalogError(UNKNOWN_ENTITY). */
  getEntity(name: string): EntityDefinition {
    const e = this.#entities.get(name);
    if (!e) throw new CatalogError('UNKNOWN_ENTITY', `Unknown entity "${name}"`, name);
    return e;
  }

  /** The source named `name`; throws CatalogError(UNKNOWN_SOURCE). */
  getSource(name: string): SourceDefinition {
    const s = this.#sources.get(name);
    if (!s) throw new CatalogError('UNKNOWN_SOURCE', `Unknown source "${name}"`, name);
    return s;
  }

  /** The stored view named `name`; throws UnknownFeatureViewError (also for a request-time view). */
  getView(name: string): FeatureView {
    const v = this.#views.get(name);
    if (!v) throw new UnknownFeatureViewError(name);
    if (v.kind !== 'stored') throw new UnknownFeatureViewError(name, 'it is a request-time view, computed from a request, not stored');
    return v;
  }

  /** The request-time view named `name`; throws UnknownFeatureViewError. */
  getRequestView(name: string): RequestFeatureView {
    const v = this.#views.get(name);
    if (!v || v.kind !== 'request') throw new UnknownFeatureViewError(name, v ? 'it is a stored view' : undefined);
    return v;
  }

  /** True when a stored or request-time view has this name. */
  hasView(name: string): boolean {
    return this.#views.has(name);
  }

  /** The feature service named `name` (e.g. `credit_decision_v1`); throws UnknownFeatureServiceError. */
  getService(name: string): FeatureServiceDefinition {
    return this.resolveService(name).service;
  }

  /** A service with its references expanded and resolved; throws UnknownFeatureServiceError. */
  resolveService(name: string): ResolvedFeatureService {
    const s = this.#services.get(name);
    if (!s) throw new UnknownFeatureServiceError(name);
    return s;
  }

  /** One `view:feature` reference; throws InvalidFeatureRefError, UnknownFeatureViewError or UnknownFeatureError. */
  getFeature(ref: string): ResolvedFeature {
    const parsed = parseFeatureRef(ref);
    if (!parsed || parsed.feature === '*') throw new InvalidFeatureRefError(String(ref));
    return this.resolveRefs([ref])[0];
  }

  /**
   * Resolves `view:feature` and `view:*` references, in order, `*` expanded in declaration order.
   * A feature referenced more than once (e.g. by `view:*` and by name) appears once, at its first
   * position. Throws on the first bad reference: InvalidFeatureRefError, UnknownFeatureViewError or
   * UnknownFeatureError, each naming it.
   */
  resolveRefs(refs: readonly string[]): ResolvedFeature[] {
    const out: ResolvedFeature[] = [];
    const seen = new Set<string>();
    for (const ref of refs) {
      const parsed = parseFeatureRef(ref);
      if (!parsed) throw new InvalidFeatureRefError(String(ref));
      const view = this.#views.get(parsed.view);
      if (!view) throw new UnknownFeatureViewError(parsed.view);
      const features: readonly (AnyFeatureDefinition | AnyRequestFeatureDefinition)[] =
        parsed.feature === '*' ? view.features : view.features.filter((f) => f.name === parsed.feature);
      if (features.length === 0) throw new UnknownFeatureError(ref);
      for (const feature of features) {
        const full = formatFeatureRef(view.name, feature.name);
        if (seen.has(full)) continue;
        seen.add(full);
        out.push(
          view.kind === 'stored'
            ? { kind: 'stored', ref: full, view, feature: feature as AnyFeatureDefinition }
            : { kind: 'request', ref: full, view, feature: feature as AnyRequestFeatureDefinition },
        );
      }
    }
    return out;
  }

  #resolveService(service: FeatureServiceDefinition): ResolvedFeatureService {
    const features = this.resolveRefs(service.features);
    const storedViews: FeatureView[] = [];
    const addView = (v: FeatureView) => {
      if (!storedViews.includes(v)) storedViews.push(v);
    };
    const requestInputs: Record<string, ValueType> = {};
    for (const f of features) if (f.kind === 'stored') addView(f.view);
    for (const f of features) {
      if (f.kind !== 'request') continue;
      Object.assign(requestInputs, f.feature.inputs);
      for (const r of f.feature.reads) addView(this.getView(must(parseFeatureRef(r), r).view));
    }
    const entities = [...new Set(storedViews.map((v) => v.entity.name))];
    return { service, features, storedViews, entities, requestInputs };
  }
}

/**
 * Validates a catalog and returns it frozen and indexed. Throws CatalogValidationError listing every
 * problem, each with the full name of what is wrong (`view:feature`, `service name`, ...) and a reason.
 * Call it at module load, so that a bad catalog fails every build, test and app start.
 */
export function defineCatalog(definition: CatalogDefinition): Catalog {
  return new Catalog(definition);
}

/** Freezes an object graph (functions included, as objects). */
function deepFreeze<T>(value: T, seen = new WeakSet<object>()): T {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return value;
  const obj = value as object;
  if (seen.has(obj)) return value;
  seen.add(obj);
  if (typeof value === 'object') {
    for (const key of Reflect.ownKeys(obj)) deepFreeze((obj as Record<PropertyKey, unknown>)[key], seen);
  }
  Object.freeze(obj);
  return value;
}
