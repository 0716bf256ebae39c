/**
 * One customer's whole history: the customer row, its orders, their instalments and the payment
 * attempts on them, as of `asOfDay`. Pure: everything is drawn from the customer's own PRNG stream.
 * The model is described in tools/data-generator/README.md; the constants below are its knobs.
 */
import { SECONDS_PER_DAY as DAY } from './calendar';
import { ASCII_FIRST_NAMES, ASCII_LAST_NAMES, CATEGORIES, COUNTRIES, COUNTRY_WEIGHTS, EMAIL_DOMAINS, type FailureReason, KYC_LEVELS, KYC_WEIGHTS, ORDER_HOUR_WEIGHTS } from './catalog';
import { dueDay, installmentAmount } from './installment-plan';
import { CUSTOMER_STREAM, type MerchantCatalog } from './merchants';
import { cumulative, type Prng } from './prng';
import { type CustomerStatus, type InstallmentStatus, type OrderStatus, type RowSink } from './rows';

/** Customers sign up over the last three years, more of them recently. */
export const HISTORY_DAYS = 3 * 365;
/** An order whose first missed instalment is this many days past due is defaulted and written off. */
export const WRITE_OFF_AFTER_DAYS = 60;
/** Late payments are made within this many days, so only defaulted plans exceed it. */
export const MAX_DAYS_LATE = 45;
/** Collection retries a failed instalment every few days, a bounded number of times. */
const RETRY_EVERY_DAYS = 3;
const MAX_FAILED_ATTEMPTS = 4;

/** Orders per year: log-normal, so most customers buy rarely and a few buy every week or two. */
const ORDERS_PER_YEAR_MEDIAN = 1.05;
const ORDERS_PER_YEAR_SIGMA = 1.3;
/** Many customers sign up at a checkout, placing their first order minutes later. */
const SIGNUP_AT_CHECKOUT = 0.6;
const MAX_ORDERS_PER_CUSTOMER = 250;

const CANCEL_RATE = 0.015;
const EARLY_PAYMENT_RATE = 0.12;
const CLOSE_RATE = 0.05;
const SUSPEND_AFTER_DEFAULT = 0.7;

/** Pay-in-N plans; pay-in-30-days (a single instalment) is drawn separately. */
const PLAN_COUNTS = [3, 4, 5, 6];
const PLAN_WEIGHTS = cumulative([0.32, 0.4, 0.06, 0.22]);

/** Dataset-wide id counters: ids are dense and follow generation order (customer by customer). */
export class IdSequences {
  order = 0;
  installment = 0;
  payment = 0;
}

export interface HistoryContext {
  readonly seed: number;
  /** "Today" as a day number: every generated event lies strictly before its midnight. */
  readonly asOfDay: number;
  readonly merchants: MerchantCatalog;
}

/** What the model knows about a customer beyond the columns: the latent behaviour behind its rows. */
interface Profile {
  readonly customerId: number;
  readonly countryIndex: number;
  readonly currency: string;
  readonly fxFromEur: number;
  readonly creditLimitMinor: number;
  /** Latent risk in [0, 1]; drives everything below, so a risky customer is risky everywhere. */
  readonly risk: number;
  readonly lateProbability: number;
  readonly meanDaysLate: number;
  readonly defaultProbability: number;
  /** Cards that keep expiring or being declined: failed attempts even on instalments paid on time. */
  readonly cardTrouble: boolean;
  /** Share of failures for lack of funds rather than card problems. */
  readonly fundsShare: number;
}

/** Generates customer `customerId` into `sink`. `rng` is reseeded here; the caller only provides an instance. */
export function generateCustomer(ctx: HistoryContext, ids: IdSequences, customerId: number, rng: Prng, sink: RowSink): void {
  rng.reseed(ctx.seed, CUSTOMER_STREAM, customerId);
  const asOf = ctx.asOfDay * DAY;

  const countryIndex = rng.weighted(COUNTRY_WEIGHTS);
  const country = COUNTRIES[countryIndex];
  const first = rng.int(0, country.firstNames.length - 1);
  const last = rng.int(0, country.lastNames.length - 1);
  const fullName = `${country.firstNames[first]} ${country.lastNames[last]}`;
  const email = emailAddress(rng, ASCII_FIRST_NAMES[countryIndex][first], ASCII_LAST_NAMES[countryIndex][last], customerId);

  // sqrt(u) makes the signup density grow linearly towards as-of: a growing business.
  const signupDay = ctx.asOfDay - HISTORY_DAYS + Math.min(HISTORY_DAYS - 1, Math.floor(HISTORY_DAYS * Math.sqrt(rng.float())));
  const createdAt = signupDay * DAY + timeOfDay(rng);
  const kyc = KYC_LEVELS[rng.weighted(KYC_WEIGHTS)];
  const limitEur = kyc.limitMin + (kyc.limitMax - kyc.limitMin) * rng.float();
  const step = country.limitStepMinor;
  const creditLimitMinor = Math.max(step, Math.round((limitEur * country.fxFromEur * 100) / step) * step);
  const ageYears = 18 + 57 * Math.pow(rng.float(), 1.6);
  const dateOfBirth = rng.chance(0.02) ? null : signupDay - Math.floor(ageYears * 365.25) - rng.int(0, 364);

  // u^3: most customers are good, a tail is very risky.
  const u = rng.float();
  const risk = Math.min(1, u * u * u * kyc.riskFactor);
  const profile: Profile = {
    customerId,
    countryIndex,
    currency: country.currency,
    fxFromEur: country.fxFromEur,
    creditLimitMinor,
    risk,
    lateProbability: 0.01 + 0.5 * risk * risk,
    meanDaysLate: 2 + 20 * risk,
    defaultProbability: 0.002 + 0.3 * risk * risk * risk,
    cardTrouble: rng.chance(0.04 + 0.2 * risk),
    fundsShare: 0.4 + 0.55 * risk,
  };
  const ordersPerYear = rng.logNormal(ORDERS_PER_YEAR_MEDIAN, ORDERS_PER_YEAR_SIGMA);
  // A few accounts are suspended for review regardless of repayment (fraud checks, disputes).
  let suspendedAt = rng.chance(0.003 + 0.02 * risk) ? createdAt + Math.floor(rng.float() * (asOf - createdAt)) : Infinity;

  const orderTimes = orderPlacementTimes(rng, createdAt, asOf, ordersPerYear);
  let lastActivity = createdAt;
  let anyOpen = false;
  for (let i = 0; i < orderTimes.length; i++) {
    const orderAt = orderTimes[i];
    if (orderAt >= suspendedAt) break; // a suspended account cannot buy
    const outcome = simulateOrder(ctx, ids, rng, sink, profile, orderAt);
    if (outcome.status === 'active') anyOpen = true;
    else if (outcome.updatedAt > lastActivity) lastActivity = outcome.updatedAt;
    if (outcome.status === 'defaulted' && rng.chance(SUSPEND_AFTER_DEFAULT) && outcome.updatedAt < suspendedAt) suspendedAt = outcome.updatedAt;
  }

  let status: CustomerStatus = 'active';
  let updatedAt = createdAt;
  if (suspendedAt < asOf) {
    status = 'suspended';
    updatedAt = suspendedAt;
  } else if (!anyOpen && rng.chance(CLOSE_RATE)) {
    // Only an account with nothing outstanding can be closed, some time after its last activity.
    const from = lastActivity + DAY;
    if (from < asOf) {
      status = 'closed';
      updatedAt = from + Math.floor(rng.float() * (asOf - from));
    }
  }

  sink.customer({
    id: customerId,
    email,
    fullName,
    dateOfBirth,
    country: country.code,
    currency: country.currency,
    kycLevel: kyc.level,
    creditLimitMinor,
    status,
    createdAt,
    updatedAt,
  });
}

/** When the customer places orders: a Poisson process from signup to as-of, at plausible hours, sorted. */
function orderPlacementTimes(rng: Prng, createdAt: number, asOf: number, ordersPerYear: number): number[] {
  const times: number[] = [];
  if (rng.chance(SIGNUP_AT_CHECKOUT)) {
    const first = createdAt + rng.int(60, 1800);
    if (first < asOf) times.push(first);
  }
  const meanGap = (365.25 * DAY) / ordersPerYear;
  let t = createdAt;
  while (times.length < MAX_ORDERS_PER_CUSTOMER) {
    t += rng.exponential(meanGap);
    if (t >= asOf) break;
    const at = Math.floor(t / DAY) * DAY + timeOfDay(rng);
    times.push(at > createdAt ? at : createdAt + 60);
  }
  if (times.length > 1) times.sort((a, b) => a - b);
  return times;
}

interface OrderOutcome {
  status: OrderStatus;
  updatedAt: number;
}

/** Places one order and plays its plan forward to as-of, emitting the order, instalment and payment rows. */
function simulateOrder(ctx: HistoryContext, ids: IdSequences, rng: Prng, sink: RowSink, p: Profile, orderAt: number): OrderOutcome {
  const asOf = ctx.asOfDay * DAY;
  const merchants = ctx.merchants;
  const m = merchants.pick(rng, p.countryIndex);
  const category = CATEGORIES[merchants.categoryIndex[m]];

  const eur = Math.max(10, rng.logNormal(category.amountMedian, category.amountSigma));
  let count: number;
  let interval: number;
  if (rng.chance(eur < 60 ? 0.4 : 0.04)) {
    count = 1; // pay in 30 days
    interval = 30;
  } else {
    count = PLAN_COUNTS[rng.weighted(PLAN_WEIGHTS)];
    interval = count >= 5 || rng.chance(0.25) ? 30 : 14;
  }
  // Prices end in .99 more often than not.
  let amountMinor = Math.round(eur * p.fxFromEur) * 100 - (rng.chance(0.6) ? 1 : 0);
  // Customers spend up to their limit, not beyond it.
  if (amountMinor > p.creditLimitMinor) amountMinor = Math.round((p.creditLimitMinor * (0.6 + 0.4 * rng.float())) / 100) * 100;
  if (amountMinor < 1000) amountMinor = 1000;

  const orderId = ++ids.order;
  const orderDay = Math.floor(orderAt / DAY);

  // The plan's fate, at most one of: cancelled soon after purchase, refunded by the merchant, defaulted.
  let cancelAt = Infinity;
  let refundAt = Infinity;
  let defaultSeq = 0;
  if (rng.chance(CANCEL_RATE)) {
    const at = orderAt + rng.int(300, 2 * DAY);
    if (at < asOf) cancelAt = at;
  } else if (rng.chance(merchants.refundRate[m])) {
    const at = orderAt + 3600 + Math.floor(Math.min(60 * DAY, rng.exponential(12 * DAY)));
    if (at < asOf) refundAt = at;
  } else if (rng.chance(Math.min(0.9, p.defaultProbability * merchants.defaultFactor[m]))) {
    // Fraud and first-payment defaults make early instalments the likeliest to be the first missed.
    const f = rng.float();
    defaultSeq = 1 + Math.floor(count * f * f);
  }
  const writeOffDay = defaultSeq > 0 ? dueDay(orderDay, interval, defaultSeq) + WRITE_OFF_AFTER_DAYS : Infinity;
  const writeOffAt = writeOffDay * DAY + 2 * 3600; // the nightly collections run
  const defaulted = writeOffAt < asOf;
  // Nothing happens to the plan after this instant (as-of, or the refund / write-off that closed it).
  const end = defaulted ? writeOffAt : Math.min(asOf, refundAt);

  let paidCount = 0;
  let lastPaidAt = 0;
  for (let seq = 1; seq <= count; seq++) {
    const amount = installmentAmount(amountMinor, count, seq);
    const due = dueDay(orderDay, interval, seq);
    const installmentId = ++ids.installment;
    let status: InstallmentStatus;
    let paidAt: number | null = null;
    let daysPastDue = 0;
    let updatedAt: number;

    if (cancelAt !== Infinity) {
      status = 'cancelled';
      updatedAt = cancelAt;
    } else {
      // Autopay collects on the due morning, then retries every few days.
      const collectAt = due * DAY + rng.int(6 * 3600, 8 * 3600);
      let payAt: number;
      let failedUntil = 0; // failed attempts are made before this instant
      let transient: FailureReason | null = null;
      if (defaultSeq > 0 && seq >= defaultSeq) {
        payAt = Infinity;
        failedUntil = Infinity;
      } else if (rng.chance(p.lateProbability)) {
        const late = Math.min(MAX_DAYS_LATE, 1 + Math.floor(rng.exponential(p.meanDaysLate)));
        payAt = (due + late) * DAY + rng.int(8 * 3600, 23 * 3600);
        failedUntil = payAt;
      } else if (rng.chance(EARLY_PAYMENT_RATE)) {
        payAt = (due - rng.int(1, 5)) * DAY + rng.int(8 * 3600, 23 * 3600);
      } else if (p.cardTrouble && rng.chance(0.35)) {
        // Declined in the morning, paid with another card later that day.
        payAt = due * DAY + rng.int(12 * 3600, 22 * 3600);
        failedUntil = collectAt + 1;
      } else if (rng.chance(0.008)) {
        payAt = collectAt + rng.int(600, 1800);
        failedUntil = collectAt + 1;
        transient = 'processing_error';
      } else {
        payAt = collectAt;
      }
      const paid = payAt < end;
      const attemptsUntil = Math.min(failedUntil, paid ? payAt : end);
      let lastAttempt = 0;
      let reason: FailureReason | null = transient; // one cause per instalment: retries fail for the same reason
      for (let j = 0; j < MAX_FAILED_ATTEMPTS; j++) {
        const at = j === 0 ? collectAt : (due + j * RETRY_EVERY_DAYS) * DAY + rng.int(6 * 3600, 8 * 3600);
        if (at >= attemptsUntil) break;
        sink.payment({
          id: ++ids.payment,
          installmentId,
          customerId: p.customerId,
          amountMinor: amount,
          currency: p.currency,
          status: 'failed',
          failureReason: (reason ??= failureReason(rng, p)),
          attemptedAt: at,
        });
        lastAttempt = at;
      }
      if (paid) {
        status = 'paid';
        paidAt = payAt;
        const paidDay = Math.floor(payAt / DAY);
        daysPastDue = paidDay > due ? paidDay - due : 0;
        updatedAt = payAt;
        paidCount++;
        if (payAt > lastPaidAt) lastPaidAt = payAt;
        sink.payment({
          id: ++ids.payment,
          installmentId,
          customerId: p.customerId,
          amountMinor: amount,
          currency: p.currency,
          status: 'succeeded',
          failureReason: null,
          attemptedAt: payAt,
        });
      } else if (refundAt < asOf) {
        status = 'cancelled'; // the refund settles whatever was still owed
        updatedAt = refundAt;
      } else if (defaulted) {
        status = 'written_off';
        daysPastDue = writeOffDay > due ? writeOffDay - due : 0;
        updatedAt = writeOffAt;
      } else if (due < ctx.asOfDay) {
        status = 'overdue';
        daysPastDue = ctx.asOfDay - due;
        updatedAt = lastAttempt > 0 ? lastAttempt : due * DAY;
      } else {
        status = 'scheduled';
        updatedAt = orderAt;
      }
    }
    sink.installment({ id: installmentId, orderId, customerId: p.customerId, seq, amountMinor: amount, currency: p.currency, dueDate: due, status, paidAt, daysPastDue, updatedAt });
  }

  let status: OrderStatus;
  let updatedAt: number;
  if (cancelAt !== Infinity) {
    status = 'cancelled';
    updatedAt = cancelAt;
  } else if (refundAt !== Infinity) {
    status = 'refunded';
    updatedAt = refundAt;
  } else if (defaulted) {
    status = 'defaulted';
    updatedAt = writeOffAt;
  } else if (paidCount === count) {
    status = 'completed';
    updatedAt = lastPaidAt;
  } else {
    status = 'active';
    updatedAt = lastPaidAt > orderAt ? lastPaidAt : orderAt;
  }
  sink.order({
    id: orderId,
    customerId: p.customerId,
    merchantId: m + 1,
    amountMinor,
    currency: p.currency,
    installmentCount: count,
    status,
    createdAt: orderAt,
    updatedAt,
  });
  return { status, updatedAt };
}

function failureReason(rng: Prng, p: Profile): FailureReason {
  if (p.cardTrouble && rng.chance(0.6)) return rng.chance(0.6) ? 'card_expired' : 'card_declined';
  if (rng.chance(p.fundsShare)) return 'insufficient_funds';
  return rng.chance(0.5) ? 'card_declined' : 'do_not_honor';
}

function timeOfDay(rng: Prng): number {
  return rng.weighted(ORDER_HOUR_WEIGHTS) * 3600 + rng.int(0, 3599);
}

function emailAddress(rng: Prng, first: string, last: string, customerId: number): string {
  const domain = rng.pick(EMAIL_DOMAINS);
  // The id keeps addresses unique; the pattern varies so they do not all look alike.
  switch (rng.int(0, 2)) {
    case 0:
      return `${first}.${last}.${customerId}@${domain}`;
    case 1:
      return `${first}${last}${customerId}@${domain}`;
    default:
      return `${first[0]}.${last}${customerId}@${domain}`;
  }
}
