import { SECONDS_PER_DAY } from './calendar';
import { CATEGORIES, CATEGORY_WEIGHTS, COUNTRIES, COUNTRY_WEIGHTS, MERCHANT_ADJECTIVES } from './catalog';
import { Prng } from './prng';
import { type MerchantRow } from './rows';

/** PRNG stream ids: each kind of entity draws from its own family of streams. */
export const MERCHANT_STREAM = 1;
export const CUSTOMER_STREAM = 2;

/** Share of merchants that are markedly riskier than their category (more defaults and refunds). */
const RISKY_MERCHANT_SHARE = 0.08;
/** Share of a customer's orders placed with merchants of their own country when one exists. */
const DOMESTIC_SHARE = 0.85;

/**
 * The merchants, and how customers choose among them: a category by popularity, then a merchant of
 * that category by a heavy-tailed popularity weight, preferring the customer's country.
 * Merchants are few (customers / 200), so they are generated up front and held in memory.
 */
export class MerchantCatalog {
  readonly rows: MerchantRow[] = [];
  /** Per merchant (index = id - 1): category index, refund probability, default multiplier. */
  readonly categoryIndex: Uint8Array;
  readonly refundRate: Float64Array;
  readonly defaultFactor: Float64Array;
  private readonly domestic: Picker[][];
  private readonly byCategory: Picker[];
  private readonly all: Picker;

  constructor(seed: number, count: number, asOfDay: number) {
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`merchant count must be a positive integer, got ${count}`);
    this.categoryIndex = new Uint8Array(count);
    this.refundRate = new Float64Array(count);
    this.defaultFactor = new Float64Array(count);
    const weight = new Float64Array(count);
    const countryIndex = new Uint8Array(count);
    const rng = new Prng(seed);
    for (let i = 0; i < count; i++) {
      const id = i + 1;
      rng.reseed(seed, MERCHANT_STREAM, id);
      // Round-robin over the categories for the first ones, so even a tiny catalogue covers them all.
      const c = i < CATEGORIES.length ? i : rng.weighted(CATEGORY_WEIGHTS);
      const k = rng.weighted(COUNTRY_WEIGHTS);
      const category = CATEGORIES[c];
      const country = COUNTRIES[k];
      const risky = rng.chance(RISKY_MERCHANT_SHARE);
      this.categoryIndex[i] = c;
      countryIndex[i] = k;
      weight[i] = rng.logNormal(1, 1.2);
      this.refundRate[i] = Math.min(0.5, category.refundRate * rng.logNormal(1, 0.3) * (risky ? 1.8 : 1));
      this.defaultFactor[i] = category.defaultFactor * rng.logNormal(1, 0.3) * (risky ? 2.5 : 1);
      // Every merchant predates the customer history (3 years), so no order precedes its merchant.
      const createdDay = asOfDay - rng.int(3 * 365 + 30, 8 * 365);
      this.rows.push({
        id,
        name: `${rng.pick(MERCHANT_ADJECTIVES)} ${rng.pick(category.nameWords)} ${country.companySuffix}`,
        category: category.name,
        country: country.code,
        createdAt: createdDay * SECONDS_PER_DAY + rng.int(0, SECONDS_PER_DAY - 1),
      });
    }
    this.domestic = COUNTRIES.map((_, k) => CATEGORIES.map((_c, c) => Picker.of(count, weight, (i) => countryIndex[i] === k && this.categoryIndex[i] === c)));
    this.byCategory = CATEGORIES.map((_c, c) => Picker.of(count, weight, (i) => this.categoryIndex[i] === c));
    this.all = Picker.of(count, weight, () => true);
  }

  /** A merchant index (id - 1) for an order of a customer of country `countryIndex`. */
  pick(rng: Prng, countryIndex: number): number {
    const c = rng.weighted(CATEGORY_WEIGHTS);
    const domestic = this.domestic[countryIndex][c];
    if (!domestic.empty && rng.chance(DOMESTIC_SHARE)) return domestic.pick(rng);
    const inCategory = this.byCategory[c];
    return inCategory.empty ? this.all.pick(rng) : inCategory.pick(rng);
  }
}

/** Weighted choice among a subset of merchants. */
class Picker {
  private constructor(
    private readonly indexes: Uint32Array,
    private readonly cumulative: Float64Array,
  ) {}

  static of(count: number, weight: Float64Array, include: (i: number) => boolean): Picker {
    const indexes: number[] = [];
    for (let i = 0; i < count; i++) if (include(i)) indexes.push(i);
    const cumulative = new Float64Array(indexes.length);
    let sum = 0;
    indexes.forEach((i, j) => (cumulative[j] = sum += weight[i]));
    return new Picker(Uint32Array.from(indexes), cumulative);
  }

  get empty(): boolean {
    return this.indexes.length === 0;
  }

  pick(rng: Prng): number {
    return this.indexes[rng.weighted(this.cumulative)];
  }
}
