/** The complaint desk wired to DynamoDB: complaints stored, evidence from the journeys, telemetry, registry, contracts and network. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TableName } from '../catalogue/index.js';
import { contractInForce } from '../domain/contracts/contracts.js';
import { ComplaintDesk } from '../domain/complaints/desk.js';
import type { ComplaintEvidenceSource } from '../domain/complaints/ports.js';
import type { Clock } from '../domain/ports/clock.js';
import { SERVICE_TIMEZONE } from '../kernel/time/service-day.js';
import { DynamoComplaintRepository } from './dynamodb/complaint-repository.js';
import { DynamoContractRepository } from './dynamodb/contract-repository.js';
import { DynamoJourneyRepository } from './dynamodb/journey-repository.js';
import { DynamoNetworkRepository } from './dynamodb/network-repository.js';
import { DynamoTelemetryRepository } from './dynamodb/telemetry-repository.js';
import { DynamoVehicleRepository } from './dynamodb/vehicle-repository.js';
import { CurrentNetwork } from './network/current-network.js';

export function complaintDesk(
  doc: DynamoDBDocumentClient,
  tableNames: Record<TableName, string>,
  clock: Clock,
  network: CurrentNetwork = new CurrentNetwork(new DynamoNetworkRepository(doc, tableNames.network)),
): ComplaintDesk {
  const journeys = new DynamoJourneyRepository(doc, tableNames.journeys);
  const telemetry = new DynamoTelemetryRepository(doc, tableNames.telemetry);
  const vehicles = new DynamoVehicleRepository(doc, tableNames.vehicles);
  const contracts = new DynamoContractRepository(doc, tableNames.routeContracts);
  const registration = async (busId: string) => {
    const r = await vehicles.getRegistration(busId);
    return r ? { busId: r.busId, operatorId: r.operatorId, plate: r.plate } : undefined;
  };
  const operatorsOf = async (routeId: string, serviceDay: string) => {
    const inForce = contractInForce(await contracts.all(routeId), routeId, serviceDay);
    return inForce ? [inForce.operatorId] : [];
  };
  const evidence: ComplaintEvidenceSource = {
    timeZone: async () => (await network.get()).network?.timezone ?? SERVICE_TIMEZONE,
    stop: async (stopId) => {
      const stop = (await network.get()).network?.stops.get(stopId);
      return stop ? { stopId, name: stop.name, lat: stop.lat, lon: stop.lon } : undefined;
    },
    routeExists: async (routeId) => !!(await network.get()).network?.routes.has(routeId),
    bus: registration,
    busesOfPlate: async (plate) => (await Promise.all((await vehicles.busesOfPlate(plate)).map(registration))).filter((b) => b !== undefined),
    routeOperators: operatorsOf,
    // A route's journeys are read under its operator's key prefix; without a contract, the whole day filtered.
    journeys: async ({ serviceDay, routeId, busId }) => {
      if (busId || !routeId) return journeys.list({ serviceDay, ...(busId ? { busId } : {}) });
      const operators = await operatorsOf(routeId, serviceDay);
      if (!operators.length) return journeys.list({ serviceDay, routeId });
      return (await Promise.all(operators.map((operatorId) => journeys.list({ serviceDay, operatorId, routeId })))).flat();
    },
    gps: (busId, fromMs, toMs) => telemetry.readGps(busId, fromMs, toMs),
  };
  return new ComplaintDesk({ complaints: new DynamoComplaintRepository(doc, tableNames.complaints), evidence, clock });
}
