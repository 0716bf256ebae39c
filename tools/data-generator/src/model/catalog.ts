/**
 * The fixed vocabularies and calibration constants of the model. Money figures are in EUR-equivalent
 * major units and scaled by `fxFromEur` into each account currency.
 */
import { cumulative } from './prng';

export interface Country {
  readonly code: string;
  readonly currency: string;
  /** Share of customers (and merchants) in this country. */
  readonly weight: number;
  /** EUR -> account currency, so that amounts look native (SEK amounts are ~11x EUR). */
  readonly fxFromEur: number;
  /** Rounding step for credit limits, in minor units. */
  readonly limitStepMinor: number;
  readonly companySuffix: string;
  readonly firstNames: readonly string[];
  readonly lastNames: readonly string[];
}

export const COUNTRIES: readonly Country[] = [
  {
    code: 'GB',
    currency: 'GBP',
    weight: 0.25,
    fxFromEur: 0.85,
    limitStepMinor: 5_000,
    companySuffix: 'Ltd',
    firstNames: ['Oliver', 'George', 'Harry', 'Jack', 'Noah', 'Amelia', 'Olivia', 'Isla', 'Ava', 'Emily', 'Sophie', 'James', 'Charlotte', 'Thomas', 'Grace', 'William', 'Lucy', 'Daniel', 'Chloe', 'Samuel', 'Siobhan', 'Rhys'],
    lastNames: ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Robinson', 'Wright', 'Thompson', 'Evans', 'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Wood', 'Jackson', 'Clarke', "O'Brien", 'Patel'],
  },
  {
    code: 'DE',
    currency: 'EUR',
    weight: 0.2,
    fxFromEur: 1,
    limitStepMinor: 5_000,
    companySuffix: 'GmbH',
    firstNames: ['Lukas', 'Leon', 'Finn', 'Jonas', 'Paul', 'Felix', 'Emma', 'Mia', 'Hannah', 'Sophie', 'Lena', 'Lea', 'Anna', 'Jürgen', 'Günter', 'Katrin', 'Maximilian', 'Julia', 'Niklas', 'Sabine'],
    lastNames: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann', 'Schäfer', 'Koch', 'Bauer', 'Richter', 'Klein', 'Wolf', 'Schröder', 'Neumann', 'Schwarz', 'Zimmermann'],
  },
  {
    code: 'FR',
    currency: 'EUR',
    weight: 0.15,
    fxFromEur: 1,
    limitStepMinor: 5_000,
    companySuffix: 'SAS',
    firstNames: ['Gabriel', 'Léo', 'Raphaël', 'Louis', 'Lucas', 'Jules', 'Hugo', 'Chloé', 'Léa', 'Manon', 'Camille', 'Inès', 'Jade', 'Louise', 'Zoé', 'Élodie', 'Mathis', 'Théo', 'Sarah', 'Antoine'],
    lastNames: ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent', 'Lefèvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent', 'Fournier'],
  },
  {
    code: 'ES',
    currency: 'EUR',
    weight: 0.1,
    fxFromEur: 1,
    limitStepMinor: 5_000,
    companySuffix: 'S.L.',
    firstNames: ['Hugo', 'Martín', 'Lucas', 'Mateo', 'Leo', 'Daniel', 'Alejandro', 'Pablo', 'Lucía', 'Sofía', 'Martina', 'María', 'Julia', 'Paula', 'Valeria', 'Carmen', 'José', 'Javier', 'Ana', 'Nerea'],
    lastNames: ['García', 'Rodríguez', 'González', 'Fernández', 'López', 'Martínez', 'Sánchez', 'Pérez', 'Gómez', 'Martín', 'Jiménez', 'Ruiz', 'Hernández', 'Díaz', 'Moreno', 'Muñoz', 'Álvarez', 'Romero', 'Alonso', 'Navarro'],
  },
  {
    code: 'US',
    currency: 'USD',
    weight: 0.2,
    fxFromEur: 1.08,
    limitStepMinor: 5_000,
    companySuffix: 'Inc.',
    firstNames: ['Liam', 'Noah', 'Oliver', 'Elijah', 'James', 'William', 'Benjamin', 'Lucas', 'Olivia', 'Emma', 'Charlotte', 'Amelia', 'Sophia', 'Mia', 'Harper', 'Evelyn', 'Michael', 'Ethan', 'Madison', 'Jacob'],
    lastNames: ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Lee'],
  },
  {
    code: 'SE',
    currency: 'SEK',
    weight: 0.1,
    fxFromEur: 11.4,
    limitStepMinor: 50_000,
    companySuffix: 'AB',
    firstNames: ['William', 'Liam', 'Noah', 'Hugo', 'Lucas', 'Oliver', 'Elias', 'Alice', 'Maja', 'Elsa', 'Astrid', 'Wilma', 'Freja', 'Ebba', 'Åsa', 'Björn', 'Linnéa', 'Sven', 'Ingrid', 'Erik'],
    lastNames: ['Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Eriksson', 'Larsson', 'Olsson', 'Persson', 'Svensson', 'Gustafsson', 'Pettersson', 'Jonsson', 'Jansson', 'Hansson', 'Bengtsson', 'Jönsson', 'Lindberg', 'Jakobsson', 'Magnusson', 'Lindström'],
  },
];
export const COUNTRY_WEIGHTS = cumulative(COUNTRIES.map((c) => c.weight));

/** Lower-case ASCII spellings for e-mail local parts, aligned with each country's name lists. */
export const ASCII_FIRST_NAMES: readonly (readonly string[])[] = COUNTRIES.map((c) => c.firstNames.map(asciiFold));
export const ASCII_LAST_NAMES: readonly (readonly string[])[] = COUNTRIES.map((c) => c.lastNames.map(asciiFold));

/** Reserved for documentation (RFC 2606): addresses that can never reach a real person. */
export const EMAIL_DOMAINS = ['example.com', 'example.org', 'example.net'] as const;

export interface KycLevel {
  readonly level: number;
  readonly weight: number;
  /** Credit limit range, EUR-equivalent major units. */
  readonly limitMin: number;
  readonly limitMax: number;
  /** Thinly verified customers default more. */
  readonly riskFactor: number;
}

export const KYC_LEVELS: readonly KycLevel[] = [
  { level: 0, weight: 0.06, limitMin: 100, limitMax: 250, riskFactor: 1.5 },
  { level: 1, weight: 0.3, limitMin: 250, limitMax: 1_000, riskFactor: 1.2 },
  { level: 2, weight: 0.44, limitMin: 1_000, limitMax: 3_000, riskFactor: 1 },
  { level: 3, weight: 0.2, limitMin: 3_000, limitMax: 8_000, riskFactor: 0.8 },
];
export const KYC_WEIGHTS = cumulative(KYC_LEVELS.map((k) => k.weight));

export interface Category {
  readonly name: string;
  /** Share of orders. */
  readonly popularity: number;
  /** Order amount: median and log-space sigma, EUR-equivalent major units. */
  readonly amountMedian: number;
  readonly amountSigma: number;
  /** Base probability that an order is refunded. */
  readonly refundRate: number;
  /** Multiplies the customer's default probability (resellable goods attract fraud). */
  readonly defaultFactor: number;
  readonly nameWords: readonly string[];
}

export const CATEGORIES: readonly Category[] = [
  { name: 'fashion', popularity: 0.28, amountMedian: 90, amountSigma: 0.6, refundRate: 0.12, defaultFactor: 1, nameWords: ['Threads', 'Atelier', 'Wardrobe', 'Denim', 'Boutique', 'Closet', 'Tailors', 'Apparel'] },
  { name: 'electronics', popularity: 0.18, amountMedian: 420, amountSigma: 0.7, refundRate: 0.05, defaultFactor: 1.4, nameWords: ['Gadgets', 'Electronics', 'Circuit', 'Tech', 'Digital', 'Audio', 'Devices', 'Pixel'] },
  { name: 'home', popularity: 0.14, amountMedian: 240, amountSigma: 0.8, refundRate: 0.05, defaultFactor: 0.9, nameWords: ['Home', 'Living', 'Interiors', 'Furniture', 'Kitchen', 'Nest', 'Decor', 'Garden'] },
  { name: 'beauty', popularity: 0.12, amountMedian: 55, amountSigma: 0.5, refundRate: 0.03, defaultFactor: 0.8, nameWords: ['Beauty', 'Cosmetics', 'Glow', 'Skin', 'Apothecary', 'Salon', 'Essence', 'Bloom'] },
  { name: 'sports', popularity: 0.09, amountMedian: 140, amountSigma: 0.7, refundRate: 0.06, defaultFactor: 1, nameWords: ['Sports', 'Outdoor', 'Cycles', 'Fitness', 'Trail', 'Athletics', 'Peak', 'Gear'] },
  { name: 'travel', popularity: 0.07, amountMedian: 600, amountSigma: 0.6, refundRate: 0.07, defaultFactor: 1.2, nameWords: ['Travel', 'Journeys', 'Holidays', 'Voyages', 'Getaways', 'Tours', 'Airways', 'Escapes'] },
  { name: 'toys', popularity: 0.07, amountMedian: 60, amountSigma: 0.6, refundRate: 0.04, defaultFactor: 0.9, nameWords: ['Toys', 'Playhouse', 'Games', 'Kids', 'Puzzles', 'Wonder', 'Bricks', 'Hobby'] },
  { name: 'jewellery', popularity: 0.05, amountMedian: 300, amountSigma: 0.8, refundRate: 0.06, defaultFactor: 1.5, nameWords: ['Jewellers', 'Gems', 'Gold', 'Diamonds', 'Silver', 'Watches', 'Pearl', 'Carat'] },
];
export const CATEGORY_WEIGHTS = cumulative(CATEGORIES.map((c) => c.popularity));

export const MERCHANT_ADJECTIVES = ['Nordic', 'Urban', 'Royal', 'Golden', 'Blue', 'Bright', 'Green', 'Little', 'Modern', 'Grand', 'Silver', 'Wild', 'North', 'Happy', 'Prime', 'Coastal'] as const;

/**
 * Failure reasons of failed payment attempts. Risky customers mostly lack funds; customers with card
 * trouble mostly have expired or declined cards; anyone can hit a processing error.
 */
export const FAILURE_REASONS = ['insufficient_funds', 'card_expired', 'card_declined', 'do_not_honor', 'processing_error'] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

/** Hour-of-day weights of order placement (UTC, roughly a European evening peak). */
export const ORDER_HOUR_WEIGHTS = cumulative([1, 0.5, 0.3, 0.2, 0.2, 0.3, 0.8, 1.5, 2.5, 3, 3.2, 3.5, 4, 3.8, 3.5, 3.5, 3.8, 4.2, 5, 5.5, 5.5, 5, 3.5, 2]);

function asciiFold(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
}
