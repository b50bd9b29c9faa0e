/**
 * A stop board on AWS: the IoT thing named by its stop_id (thing type `StopBoard`), its certificate with the
 * subscribe-only board policy. The thing is the board's identity; `npm run board:provision` also lists its stop in
 * the registry of boards of the `vehicles` table, which the ingest path reads to know which stops to tell.
 */
import type { IoTClient } from '@aws-sdk/client-iot';
import { z } from 'zod';
import { stopIdSchema } from '../../../shared/catalogue/index.js';
import type { IotNames } from '../../constructs/iot-names.js';
import { provisionDevice, revokeDevice, type ProvisionedDevice } from './device-provisioning.js';

/** A stop_id that can also be an IoT thing name (`[A-Za-z0-9:_-]`, at most 128): GTFS allows more than IoT does. */
const boardThingNameSchema = stopIdSchema.pipe(
  z.string().regex(/^[A-Za-z0-9:_-]{1,128}$/, 'an IoT thing name takes only letters, digits, :, _ and -: this stop cannot have a board on IoT Core'),
);

export interface BoardProvisioningTarget {
  iot: IoTClient;
  names: Pick<IotNames, 'boardPolicy' | 'boardThingType'>;
  certDir: string;
}

/** Provisions (or re-provisions) the board of a stop; throws a ZodError for a stop id that cannot be a thing name. */
export async function provisionBoard(target: BoardProvisioningTarget, stopId: string, options: { newCertificate?: boolean } = {}): Promise<ProvisionedDevice> {
  const thingName = boardThingNameSchema.parse(stopId);
  return provisionDevice(target.iot, {
    thingName,
    thingTypeName: target.names.boardThingType,
    attributes: {},
    policyName: target.names.boardPolicy,
    certDir: target.certDir,
    newCertificate: options.newCertificate ?? false,
  });
}

/** Deactivates and detaches every certificate of a stop's board; the thing stays. */
export async function revokeBoard(iot: IoTClient, stopId: string): Promise<{ revokedCertificateIds: string[] }> {
  return revokeDevice(iot, boardThingNameSchema.parse(stopId));
}
