import { parseFeatureRef, type Catalog } from '@bnpl/feature-definitions';
import { PermissionDeniedError } from '../errors/permission-denied.error';
import { PRINCIPAL_NAME, type Principal } from '../principal';

/**
 * Which principals (by name: a key's owner, a token's subject) may read a feature service or a feature
 * view. A service or view not listed is open to every principal with `features:read`.
 */
export interface FeatureRestrictions {
  readonly services: Readonly<Record<string, readonly string[]>>;
  readonly views: Readonly<Record<string, readonly string[]>>;
}

/** What a read asks for, as the request carries it (validated later by the read path). */
export interface FeatureSelection {
  /** A feature service name. */
  readonly featureService?: unknown;
  /** `view:feature` references: a list, or a comma-separated string (REST's query parameter). */
  readonly features?: unknown;
}

interface Rule {
  /** What is restricted, for the message: `feature service "x"` or `feature view "y"`. */
  readonly what: string;
  readonly reason: 'FEATURE_SERVICE_RESTRICTED' | 'FEATURE_VIEW_RESTRICTED';
  readonly allowed: ReadonlySet<string>;
}

/**
 * Restrictions of feature services and views to named principals, checked against what a read asks for.
 *
 * A read is allowed when the principal is named by every restriction it touches: the service's own, and
 * that of every view the service or the referenced features read. Request-time views count with the
 * stored views they read (a ratio computed from a restricted view leaks it). Names the catalog does not
 * know are left to the read path, which rejects them; malformed input is never a way around a
 * restriction, since only well-formed known names can be served.
 */
export class FeatureAccessPolicy {
  private readonly serviceRules = new Map<string, readonly Rule[]>();
  private readonly viewRules = new Map<string, readonly Rule[]>();
  /** No restriction at all: every check is free. */
  readonly open: boolean;

  /** @throws RangeError naming an unknown service, view or principal name in `restrictions`. */
  constructor(catalog: Catalog, restrictions: FeatureRestrictions = { services: {}, views: {} }) {
    const viewRule = new Map<string, Rule>();
    for (const [view, names] of Object.entries(restrictions.views)) {
      if (!catalog.hasView(view)) throw new RangeError(`restricted feature view "${view}" is not in the catalog`);
      viewRule.set(view, { what: `feature view "${view}"`, reason: 'FEATURE_VIEW_RESTRICTED', allowed: principalNames(names, `feature view "${view}"`) });
    }
    const rulesOfViews = (views: Iterable<string>) => [...new Set(views)].flatMap((v) => viewRule.get(v) ?? []);
    const readsOf = (view: string): string[] => {
      const request = catalog.requestViews.find((r) => r.name === view);
      return request ? [view, ...request.reads.map((ref) => ref.split(':')[0])] : [view];
    };
    for (const view of [...catalog.views.map((v) => v.name), ...catalog.requestViews.map((v) => v.name)]) {
      const rules = rulesOfViews(readsOf(view));
      if (rules.length) this.viewRules.set(view, rules);
    }
    const restrictedServices = new Map(Object.entries(restrictions.services));
    for (const name of restrictedServices.keys()) {
      if (!catalog.services.some((s) => s.name === name)) throw new RangeError(`restricted feature service "${name}" is not in the catalog`);
    }
    for (const service of catalog.services) {
      const resolved = catalog.resolveService(service.name);
      const views = [...resolved.features.map((f) => f.view.name), ...resolved.storedViews.map((v) => v.name)].flatMap(readsOf);
      const own = restrictedServices.get(service.name);
      const rules = [
        ...(own ? [{ what: `feature service "${service.name}"`, reason: 'FEATURE_SERVICE_RESTRICTED' as const, allowed: principalNames(own, `feature service "${service.name}"`) }] : []),
        ...rulesOfViews(views),
      ];
      if (rules.length) this.serviceRules.set(service.name, rules);
    }
    this.open = this.serviceRules.size === 0 && this.viewRules.size === 0;
  }

  /** @throws PermissionDeniedError naming the first restricted service or view the principal is not named by. */
  check(principal: Principal, selection: FeatureSelection): void {
    if (this.open) return;
    for (const service of strings(selection.featureService)) this.apply(principal, this.serviceRules.get(service.trim()));
    for (const list of strings(selection.features)) {
      for (const ref of list.split(',')) {
        const view = parseFeatureRef(ref.trim())?.view;
        if (view !== undefined) this.apply(principal, this.viewRules.get(view));
      }
    }
  }

  private apply(principal: Principal, rules: readonly Rule[] | undefined): void {
    if (!rules) return;
    for (const rule of rules) {
      if (!rule.allowed.has(principal.name)) throw new PermissionDeniedError(rule.reason, `The ${rule.what} is restricted to named principals, and ${JSON.stringify(principal.name)} is not one of them`);
    }
  }
}

function principalNames(names: readonly string[], what: string): ReadonlySet<string> {
  for (const name of names) if (!PRINCIPAL_NAME.test(name)) throw new RangeError(`${what}: "${name}" is not a principal name`);
  return new Set(names);
}

/** The strings in a request field: a string, or the strings of an array (anything else is the validator's to reject). */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
