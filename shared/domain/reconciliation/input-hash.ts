/**
 * The input hash of a run: sha256 of a canonical JSON of what the run reads.
 */
import type { ReconciliationInput } from './types.js';

/** sha256 (hex) of the canonical JSON of the run's inputs: orders, journeys, contract versions, resolutions. */
export function inputHash(_input: ReconciliationInput): string {
  throw new Error('not yet');
}
