/** Bus identities on the running local stack: each bus is registered (or re-registered) when it first publishes. */
import { loadConfig } from '../../shared/adapters/config.js';
import { createDocumentClient, createDynamoClient } from '../../shared/adapters/dynamodb/client.js';
import { DynamoVehicleRepository } from '../../shared/adapters/dynamodb/vehicle-repository.js';
import { registerBus } from './register-bus.js';
import { readEndpoints } from './state-file.js';
import type { BusIdentity } from '../../simulator/output/mqtt-sink.js';

export interface PlateDirectory {
  operatorOf(busId: string): string;
  plateOf(busId: string): string;
}

/** Registers buses through `vehicles`; `who` says each bus's operator and plate. */
export function registeringIdentities(vehicles: DynamoVehicleRepository, who?: PlateDirectory): (busId: string) => Promise<BusIdentity> {
  return async (busId) => {
    const operatorId = who?.operatorOf(busId) ?? busId.split('-')[0] ?? 'OP1';
    const plate = who?.plateOf(busId) ?? '51B-000.00';
    const { secret } = await registerBus(vehicles, { busId, operatorId, plate });
    return { kind: 'password', secret };
  };
}

/** The running `npm start` stack's MQTT URL and a registering identity source; throws when none is running. */
export async function localIdentities(who?: PlateDirectory): Promise<{ mqttUrl: string; identity: (busId: string) => Promise<BusIdentity> }> {
  const running = readEndpoints();
  if (!running) throw new Error('no local stack is running: start it with `npm start`, or use --out FILE');
  const config = loadConfig({ ...process.env, BUSFLOW_DYNAMODB_ENDPOINT: running.dynamodbEndpoint, BUSFLOW_TABLE_PREFIX: running.tablePrefix });
  const vehicles = new DynamoVehicleRepository(createDocumentClient(createDynamoClient(config)), config.tableNames.vehicles);
  return { mqttUrl: running.mqttUrl, identity: registeringIdentities(vehicles, who) };
}
