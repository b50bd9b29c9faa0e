/** Registering a bus locally: the registry entry later APIs validate against, and its MQTT credentials. */
import { z } from 'zod';
import { busIdSchema, operatorIdSchema } from '../../shared/catalogue/index.js';
import type { BusRegistration, DynamoVehicleRepository } from '../../shared/adapters/dynamodb/vehicle-repository.js';
import { newDeviceSecret, secretDigest } from './device-credentials.js';

export const busRegistrationSchema = z.object({
  busId: busIdSchema,
  operatorId: operatorIdSchema,
  // Vietnamese plates look like 51B-123.45; kept loose enough for older and special formats.
  plate: z.string().regex(/^[0-9A-Z][0-9A-Z.-]{3,15}$/, 'must be a licence plate such as 51B-123.45'),
});

export interface RegisteredBus extends BusRegistration {
  /** The MQTT password; shown once, only its hash is stored. */
  secret: string;
}

/** Registers (or re-registers, issuing a new secret) a bus. */
export async function registerBus(vehicles: DynamoVehicleRepository, input: z.input<typeof busRegistrationSchema>): Promise<RegisteredBus> {
  const reg = busRegistrationSchema.parse(input);
  const secret = newDeviceSecret();
  const stored = await vehicles.register(reg, secretDigest(secret));
  return { ...stored, secret };
}
