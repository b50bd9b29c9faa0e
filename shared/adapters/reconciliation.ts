/** The reconciliation desk wired to DynamoDB: its store, and the trip orders, journeys and contracts it reads. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys, type TableName } from '../catalogue/index.js';
import type { JourneyRecord } from '../domain/journeys/journey-record.js';
import type { Clock } from '../domain/ports/clock.js';
import type { Logger } from '../domain/ports/logger.js';
import { reconciliationJourneyOf, reconciliationOrderOf } from '../domain/reconciliation/journey-view.js';
import { ReconciliationDesk, type ReconciliationEngine } from '../domain/reconciliation-desk/desk.js';
import type { ReconciliationSources } from '../domain/reconciliation-desk/ports.js';
import type { TripOrder } from '../domain/trip-orders/schemas.js';
import { DynamoContractRepository } from './dynamodb/contract-repository.js';
import { DynamoJourneyRepository } from './dynamodb/journey-repository.js';
import { DynamoReconciliationRepository } from './dynamodb/reconciliation-repository.js';
import { DynamoTripOrderRepository } from './dynamodb/trip-order-repository.js';
import { queryAll } from './dynamodb/query-all.js';

const ORDER_PAGE = 200;
const J = keys.journey;

/**
 * A day's journeys of every operator are read as a few queries over ranges of the sort key (`OP#{operatorId}…`
 * by the operator id's first character) run side by side: together they cover every id the catalogue allows
 * (`[A-Za-z0-9_-]`), and a day's partition is read several times faster than by one query paging through it.
 */
const OPERATOR_RANGES: readonly [string, string][] = [
  ['-', '9'],
  ['A', 'F'],
  ['G', 'L'],
  ['M', 'R'],
  ['S', 'Z'],
  ['_', 'z'],
];

async function dayRange(doc: DynamoDBDocumentClient, table: string, serviceDay: string, [from, to]: readonly [string, string]): Promise<JourneyRecord[]> {
  const items = await queryAll(doc, {
    TableName: table,
    // `~` sorts after every character an id may hold: the range ends after the last id starting with `to`.
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': J.partition(serviceDay), ':from': J.prefix(from).slice(0, -1), ':to': `${J.prefix(to).slice(0, -1)}~` },
  });
  return items.map(({ pk: _pk, sk: _sk, busKey: _b, ...t }) => t as unknown as JourneyRecord);
}

/** The trip orders, journeys and contracts a run reads, from their tables; `counter` counts the items read. */
function reconciliationSources(
  doc: DynamoDBDocumentClient,
  journeysTable: string,
  orders: DynamoTripOrderRepository,
  journeys: DynamoJourneyRepository,
  contracts: DynamoContractRepository,
  counter?: { itemsRead: number },
): ReconciliationSources {
  return {
    async orders(serviceDay, operatorId) {
      const out: TripOrder[] = [];
      let after: Record<string, unknown> | undefined;
      do {
        const page = await orders.list({ serviceDay, ...(operatorId ? { operatorId } : {}) }, ORDER_PAGE, after);
        out.push(...page.items);
        after = page.lastKey;
      } while (after);
      if (counter) counter.itemsRead += out.length;
      return out.map((o) => ({ ...reconciliationOrderOf(o), history: o.history.map((h) => ({ action: h.action })) }));
    },
    async journeys(serviceDay, operatorId) {
      // The day's reconciliation summaries: a few small items per bus instead of every full journey record.
      const summaries = await journeys.reconciliationJourneys(serviceDay, operatorId);
      if (summaries) {
        if (counter) counter.itemsRead += summaries.itemsRead;
        return summaries.trips;
      }
      // A day stored before the summaries were: its full journey records.
      const trips = operatorId
        ? await journeys.list({ serviceDay, operatorId })
        : (await Promise.all(OPERATOR_RANGES.map((r) => dayRange(doc, journeysTable, serviceDay, r)))).flat();
      if (counter) counter.itemsRead += trips.length;
      return trips.map(reconciliationJourneyOf);
    },
    contracts: () => contracts.all(),
  };
}

export interface ReconciliationWiring {
  desk: ReconciliationDesk;
  store: DynamoReconciliationRepository;
  /** Items read from the sources (the store counts its own). */
  sourceReads: { itemsRead: number };
}

/** The desk over the tables named in `tableNames`. */
export function reconciliationDesk(
  doc: DynamoDBDocumentClient,
  tableNames: Record<TableName, string>,
  logger: Logger,
  clock: Clock,
  engine?: ReconciliationEngine,
): ReconciliationWiring {
  const orders = new DynamoTripOrderRepository(doc, tableNames.tripOrders);
  const store = new DynamoReconciliationRepository(doc, tableNames.reconciliations);
  const sourceReads = { itemsRead: 0 };
  const sources = reconciliationSources(
    doc,
    tableNames.journeys,
    orders,
    new DynamoJourneyRepository(doc, tableNames.journeys),
    new DynamoContractRepository(doc, tableNames.routeContracts),
    sourceReads,
  );
  return { desk: new ReconciliationDesk({ store, sources, orders, clock, logger, ...(engine ? { engine } : {}) }), store, sourceReads };
}
