/**
 * A bus on AWS: the IoT thing named by its busId (thing type `Bus`, attributes operator and plate), its
 * certificate with the bus policy, and its entry in the deployed `vehicles` table — the same record
 * `npm run bus:add` writes locally, without the local MQTT password (IoT Core authenticates by certificate).
 */
import type { IoTClient } from '@aws-sdk/client-iot';
import type { z } from 'zod';
import type { DynamoVehicleRepository } from '../../../shared/adapters/dynamodb/vehicle-repository.js';
import type { IotNames } from '../../constructs/iot-names.js';
import { busRegistrationSchema } from '../../local/register-bus.js';
import { provisionDevice, revokeDevice, type ProvisionedDevice } from './device-provisioning.js';

export interface BusProvisioningTarget {
  iot: IoTClient;
  vehicles: DynamoVehicleRepository;
  names: Pick<IotNames, 'busPolicy' | 'busThingType'>;
  certDir: string;
}

/** Provisions (or re-provisions) a bus; throws a ZodError for a bad busId, operator or plate before any AWS call. */
export async function provisionBus(
  target: BusProvisioningTarget,
  input: z.input<typeof busRegistrationSchema>,
  options: { newCertificate?: boolean } = {},
): Promise<ProvisionedDevice> {
  const bus = busRegistrationSchema.parse(input);
  return provisionDevice(
    target.iot,
    {
      thingName: bus.busId,
      thingTypeName: target.names.busThingType,
      attributes: { operator: bus.operatorId, plate: bus.plate },
      policyName: target.names.busPolicy,
      certDir: target.certDir,
      newCertificate: options.newCertificate ?? false,
    },
    async () => {
      await target.vehicles.register({ busId: bus.busId, operatorId: bus.operatorId, plate: bus.plate });
    },
  );
}

/** Deactivates and detaches every certificate of a bus; the thing and the vehicle record stay (history, reports). */
export async function revokeBus(iot: IoTClient, busId: string): Promise<{ revokedCertificateIds: string[] }> {
  return revokeDevice(iot, busRegistrationSchema.shape.busId.parse(busId));
}
