/**
 * Passengers: how many board and alight at a stop, by the stop's pull and the hour, and what they pay with.
 * Shares follow HCMC's fare products: most riders pay a single fare (7,000 VND on most subsidised routes), many
 * hold monthly or student passes, priority riders (elderly, disabled) and children ride free.
 */
import type { FareMedium, FareProduct } from '../../shared/catalogue/index.js';
import type { Rng } from './rng.js';

export const BUS_CAPACITY = 80;

/** Riders per hour wanting to board at an average stop, by local hour (0–23). */
const HOURLY = [0, 0, 0, 0, 1, 6, 14, 22, 18, 10, 8, 8, 9, 8, 8, 10, 15, 21, 17, 10, 7, 5, 3, 1];

/** Mean boardings per hour at a stop whose relative pull is `stopWeight`. */
export function boardingRate(localHour: number, stopWeight: number): number {
  const h = Math.floor(((localHour % 24) + 24) % 24);
  return (HOURLY[h] ?? 0) * stopWeight;
}

export interface FareChoice {
  product: FareProduct;
  medium: FareMedium;
  amountVnd: number;
}

const PRODUCTS: (readonly [FareProduct, number])[] = [
  ['single', 55],
  ['monthly', 18],
  ['student', 12],
  ['priority', 5],
  ['free', 4],
  ['transfer', 6],
];
const MEDIA: (readonly [FareMedium, number])[] = [
  ['card', 45],
  ['qr', 25],
  ['bank', 10],
  ['cash', 20],
];

/** A rider's fare: product, medium and the amount charged (integer VND). */
export function chooseFare(rng: Rng, singleFareVnd: number): FareChoice {
  const product = rng.weighted(PRODUCTS);
  switch (product) {
    case 'single': {
      // Cash is sold by the conductor as a single ticket; the others tap a card, a QR code or a bank card.
      const medium = rng.weighted(MEDIA);
      return { product, medium, amountVnd: singleFareVnd };
    }
    case 'student':
      return { product, medium: rng.chance(0.8) ? 'card' : 'qr', amountVnd: Math.round((singleFareVnd * 0.43) / 1000) * 1000 };
    case 'transfer':
      return { product, medium: rng.chance(0.7) ? 'card' : 'qr', amountVnd: 0 };
    default:
      return { product, medium: 'card', amountVnd: 0 };
  }
}

/** Dwell at a stop: door time plus per-passenger time, seconds. */
export function dwellSeconds(boardings: number, alightings: number, rng: Rng): number {
  return Math.round(6 + 2.4 * boardings + 1.3 * alightings + rng.uniform(0, 4));
}
