/**
 * What a bus receives on `bus/{busId}/assignment` when its trip order is approved or amended: the order as the
 * driver console needs it. Retained, so a bus that connects later still gets it.
 */
import { assignmentTopic, CONTRACT_VERSION } from '../../catalogue/index.js';
import type { TripOrder } from '../../domain/trip-orders/schemas.js';

export interface AssignmentMessage {
  v: number;
  tripOrderId: string;
  orderNumber: string;
  serviceDay: string;
  routeId: string;
  revision: number;
  status: string;
  driver: TripOrder['driver'];
  staff: TripOrder['staff'];
  trips: TripOrder['trips'];
}

export function assignmentOf(order: TripOrder): { topic: string; message: AssignmentMessage } {
  return {
    topic: assignmentTopic(order.vehicle.busId),
    message: {
      v: CONTRACT_VERSION, tripOrderId: order.id, orderNumber: order.orderNumber, serviceDay: order.serviceDay, routeId: order.routeId,
      revision: order.revision, status: order.status, driver: order.driver, staff: order.staff, trips: order.trips,
    },
  };
}
