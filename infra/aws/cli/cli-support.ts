/** What the AWS provisioning commands share: their AWS clients, the outcome in a few lines, and errors in one line. */
import { IoTClient } from '@aws-sdk/client-iot';
import { ZodError } from 'zod';
import type { ProvisionedDevice } from '../provisioning/device-provisioning.js';
import { oneLine, ProvisioningError } from '../provisioning/provisioning-error.js';

/** The IoT client of `--region`, else of the AWS SDK's usual sources (AWS_REGION, the profile). */
export function iotClient(region: string | undefined): IoTClient {
  return new IoTClient(region ? { region } : {});
}

/** The lines that tell what provisioning did, for a bus or a board. */
export function provisionedLines(device: ProvisionedDevice, policyName: string): string[] {
  const lines = [`  thing:       ${device.thingName} (${device.thingCreated ? 'created' : 'existing, reused'})`];
  if (device.certificateIssued) {
    lines.push(`  certificate: ${device.certificateId} (new, active, policy ${policyName})`);
    lines.push(`  files:       ${device.files!.certificate}`, `               ${device.files!.privateKey} (mode 0600: keep it secret)`);
    lines.push(
      device.files!.rootCa
        ? `               ${device.files!.rootCa} (Amazon Root CA 1, the CA of the endpoint)`
        : '               no AmazonRootCA1.pem: fetch it from https://www.amazontrust.com/repository/AmazonRootCA1.pem',
    );
  } else {
    lines.push(
      `  certificate: ${device.certificateId} kept (already active; no files written: AWS gives a private key out only once — ` +
        'use --new-certificate if it is lost)',
    );
  }
  if (device.retiredCertificateIds.length > 0) lines.push(`  retired:     ${device.retiredCertificateIds.join(', ')} (inactive, detached)`);
  lines.push(`  endpoint:    ${device.endpoint} (MQTT over TLS, port 8883)`);
  return lines;
}

/** Runs a command; bad input exits 2, any failure exits 1 with one line and no stack trace. */
export async function runCommand(what: string, command: () => Promise<void>): Promise<number> {
  try {
    await command();
    return 0;
  } catch (err) {
    if (err instanceof ZodError) {
      console.error(`Invalid input for ${what}: ${err.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ')}`);
      return 2;
    }
    console.error(err instanceof ProvisioningError ? `Could not ${what}: ${err.message}` : `Could not ${what}: ${oneLine(err)}`);
    return 1;
  }
}
