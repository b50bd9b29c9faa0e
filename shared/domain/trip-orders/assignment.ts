/** A trip order as its bus receives it: the catalogue's assignment message, on the bus's assignment topic. */
import { assignmentTopic, CONTRACT_VERSION, type AssignmentMessage } from '../../catalogue/index.js';
import type { TripOrder } from './schemas.js';

/** The topic and message that tell `order`'s bus what to run. */
export function assignmentOf(order: TripOrder): { topic: string; message: AssignmentMessage } {
  return {
    topic: assignmentTopic(order.vehicle.busId),
    message: {
      v: CONTRACT_VERSION,
      tripOrderId: order.id,
      orderNumber: order.orderNumber,
      serviceDay: order.serviceDay,
      operatorId: order.operatorId,
      routeId: order.routeId,
      revision: order.revision,
      status: order.status,
      driver: order.driver,
      staff: order.staff,
      trips: order.trips,
    },
  };
}
