/**
 * The input hash of a run: sha256 of a canonical JSON of what the run reads — the operator's orders of the day
 * (the fields reconciliation reads), its journeys (the fields reconciliation reads, `reconciliationJourneyOf`: not
 * the fare transactions, wifi or computation time), the contract versions in force for its routes, and the
 * resolutions. Object keys are sorted and lists put in a canonical order, so the order the inputs were loaded in
 * does not matter, nor whether the journeys were read as full records or as their reconciliation summaries.
 */
import { createHash } from 'node:crypto';
import { contractInForce } from '../contracts/contracts.js';
import { reconciliationJourneyOf, reconciliationOrderOf } from './journey-view.js';
import type { ReconciliationInput } from './types.js';

/** sha256 (hex) of the canonical JSON of the run's inputs: orders, journeys, contract versions, resolutions. */
export function inputHash(input: ReconciliationInput): string {
  return createHash('sha256')
    .update(canonicalJson(canonicalInput(input)))
    .digest('hex');
}

/** JSON with object keys sorted at every level and undefined members left out; the same value gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

function canonicalInput(input: ReconciliationInput): unknown {
  const { serviceDay, operatorId } = input;
  const orders = input.orders
    .filter((o) => o.operatorId === operatorId && o.serviceDay === serviceDay)
    .map(reconciliationOrderOf)
    .sort((a, b) => cmp(a.id, b.id));
  const journeys = input.journeys
    .filter((j) => j.operatorId === operatorId && j.serviceDay === serviceDay)
    .map(reconciliationJourneyOf)
    .sort((a, b) => cmp(a.busId, b.busId) || cmp(a.tripId, b.tripId) || (a.performed.startMs ?? 0) - (b.performed.startMs ?? 0));
  const routeIds = [...new Set([...orders.map((o) => o.routeId), ...journeys.map((j) => j.routeId)])].sort();
  const contracts = routeIds.flatMap((r) => {
    const c = contractInForce(input.contracts, r, serviceDay);
    return c ? [c] : [];
  });
  const resolutions = [...(input.resolutions ?? [])].sort((a, b) => cmp(a.lineId, b.lineId) || cmp(canonicalJson(a), canonicalJson(b)));
  return { serviceDay, operatorId, timezone: input.timezone ?? null, orders, journeys, contracts, resolutions };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
