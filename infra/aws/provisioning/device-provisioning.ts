/**
 * One device on AWS IoT Core: a thing of the stack's thing type, an active X.509 certificate attached to it with
 * the stack's policy, and the certificate files on disk. Shared by buses and stop boards.
 *
 * Idempotent where AWS allows: an existing thing is reused (its attributes updated when they differ), and a thing
 * that already has an active certificate keeps it — AWS never gives a private key out again, so nothing is
 * written. `newCertificate` issues another one and retires the old ones once the new one is attached (a lost or
 * leaked key). A failure after the certificate was created undoes what this run did.
 */
import {
  AttachPolicyCommand,
  AttachThingPrincipalCommand,
  CreateKeysAndCertificateCommand,
  CreateThingCommand,
  DeleteCertificateCommand,
  DeleteThingCommand,
  DescribeCertificateCommand,
  DescribeEndpointCommand,
  DescribeThingCommand,
  DescribeThingTypeCommand,
  DetachPolicyCommand,
  DetachThingPrincipalCommand,
  GetPolicyCommand,
  ListAttachedPoliciesCommand,
  ListThingPrincipalsCommand,
  UpdateCertificateCommand,
  UpdateThingCommand,
  type IoTClient,
} from '@aws-sdk/client-iot';
import { removeCertificateFiles, writeCertificateFiles, type CertificateFiles } from './certificate-files.js';
import { isAwsError, oneLine, ProvisioningError } from './provisioning-error.js';

/** The data endpoint with Amazon Trust Services certificates (AmazonRootCA1), as the stack's functions use. */
const DATA_ENDPOINT_TYPE = 'iot:Data-ATS';

export interface DeviceSpec {
  thingName: string;
  thingTypeName: string;
  attributes: Record<string, string>;
  policyName: string;
  /** Where the certificate files go. */
  certDir: string;
  /** Issue a new certificate even when the thing has an active one, and retire the old ones. */
  newCertificate?: boolean;
}

export interface ProvisionedDevice {
  thingName: string;
  thingArn: string;
  thingCreated: boolean;
  certificateArn: string;
  certificateId: string;
  /** False when the thing's active certificate was kept (no files written). */
  certificateIssued: boolean;
  files: CertificateFiles | undefined;
  /** Certificates made inactive and detached because a new one replaced them. */
  retiredCertificateIds: string[];
  /** The account's IoT data endpoint host (`…-ats.iot.<region>.amazonaws.com`). */
  endpoint: string;
}

interface Attached {
  arn: string;
  id: string;
  active: boolean;
}

/** Creates or updates a device; `afterAttach` (e.g. the vehicle registry) runs last, and its failure is rolled back too. */
export async function provisionDevice(iot: IoTClient, spec: DeviceSpec, afterAttach: () => Promise<void> = async () => undefined): Promise<ProvisionedDevice> {
  await requirePolicy(iot, spec.policyName);
  await requireThingType(iot, spec.thingTypeName);
  const endpoint = await dataEndpoint(iot);
  const thing = await upsertThing(iot, spec);
  const previous = await attachedCertificates(iot, spec.thingName);
  const kept = previous.find((c) => c.active);

  if (kept && !spec.newCertificate) {
    try {
      // Attaching an attached policy is a no-op: this repairs a certificate an interrupted run left without it.
      await iot.send(new AttachPolicyCommand({ policyName: spec.policyName, target: kept.arn }));
      await afterAttach();
    } catch (err) {
      throw new ProvisioningError(`${spec.thingName}: ${oneLine(err)} (thing and certificate ${kept.id} kept, nothing to undo)`);
    }
    return { ...thing, certificateArn: kept.arn, certificateId: kept.id, certificateIssued: false, files: undefined, retiredCertificateIds: [], endpoint };
  }

  const issued = await issueCertificate(iot, spec, thing.thingCreated, afterAttach);
  const retired: string[] = [];
  for (const old of previous) {
    await retireCertificate(iot, spec.thingName, old);
    retired.push(old.id);
  }
  return { ...thing, ...issued, certificateIssued: true, retiredCertificateIds: retired, endpoint };
}

/** Deactivates every certificate of a thing and detaches it from the thing and from its policies; the thing stays. */
export async function revokeDevice(iot: IoTClient, thingName: string): Promise<{ revokedCertificateIds: string[] }> {
  try {
    await iot.send(new DescribeThingCommand({ thingName }));
  } catch (err) {
    if (isAwsError(err, 'ResourceNotFoundException')) throw new ProvisioningError(`there is no IoT thing ${thingName}: nothing to revoke`);
    throw err;
  }
  const certificates = await attachedCertificates(iot, thingName);
  for (const certificate of certificates) await retireCertificate(iot, thingName, certificate);
  return { revokedCertificateIds: certificates.map((c) => c.id) };
}

async function requirePolicy(iot: IoTClient, policyName: string): Promise<void> {
  try {
    await iot.send(new GetPolicyCommand({ policyName }));
  } catch (err) {
    if (isAwsError(err, 'ResourceNotFoundException')) {
      throw new ProvisioningError(
        `IoT policy ${policyName} not found in ${await regionOf(iot)}: deploy the stack there first (npx cdk deploy), or give --stack / --region / --policy`,
      );
    }
    throw err;
  }
}

async function requireThingType(iot: IoTClient, thingTypeName: string): Promise<void> {
  try {
    const out = await iot.send(new DescribeThingTypeCommand({ thingTypeName }));
    if (out.thingTypeMetadata?.deprecated) throw new ProvisioningError(`IoT thing type ${thingTypeName} is deprecated: no new things can have it`);
  } catch (err) {
    if (isAwsError(err, 'ResourceNotFoundException')) {
      throw new ProvisioningError(`IoT thing type ${thingTypeName} not found in ${await regionOf(iot)}: deploy the stack there first (npx cdk deploy)`);
    }
    throw err;
  }
}

async function dataEndpoint(iot: IoTClient): Promise<string> {
  const out = await iot.send(new DescribeEndpointCommand({ endpointType: DATA_ENDPOINT_TYPE }));
  if (!out.endpointAddress) throw new ProvisioningError(`DescribeEndpoint (${DATA_ENDPOINT_TYPE}) gave no address`);
  return out.endpointAddress;
}

async function upsertThing(iot: IoTClient, spec: DeviceSpec): Promise<{ thingName: string; thingArn: string; thingCreated: boolean }> {
  const existing = await iot.send(new DescribeThingCommand({ thingName: spec.thingName })).catch((err: unknown) => {
    if (isAwsError(err, 'ResourceNotFoundException')) return undefined;
    throw err;
  });
  if (!existing) {
    const created = await iot.send(
      new CreateThingCommand({ thingName: spec.thingName, thingTypeName: spec.thingTypeName, attributePayload: { attributes: spec.attributes } }),
    );
    return { thingName: spec.thingName, thingArn: created.thingArn!, thingCreated: true };
  }
  const differs =
    existing.thingTypeName !== spec.thingTypeName || Object.entries(spec.attributes).some(([name, value]) => existing.attributes?.[name] !== value);
  if (differs) {
    await iot.send(
      new UpdateThingCommand({
        thingName: spec.thingName,
        thingTypeName: spec.thingTypeName,
        // merge: attributes set by hand on the thing (other than these) are kept.
        attributePayload: { attributes: spec.attributes, merge: true },
        ...(existing.version !== undefined ? { expectedVersion: existing.version } : {}),
      }),
    );
  }
  return { thingName: spec.thingName, thingArn: existing.thingArn!, thingCreated: false };
}

/** The certificates attached to a thing, with whether each is active. */
async function attachedCertificates(iot: IoTClient, thingName: string): Promise<Attached[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await iot.send(new ListThingPrincipalsCommand({ thingName, ...(nextToken ? { nextToken } : {}) }));
    arns.push(...(page.principals ?? []).filter((p) => p.includes(':cert/')));
    nextToken = page.nextToken;
  } while (nextToken);
  const certificates: Attached[] = [];
  for (const arn of arns) {
    const id = arn.slice(arn.lastIndexOf('/') + 1);
    const out = await iot.send(new DescribeCertificateCommand({ certificateId: id }));
    certificates.push({ arn, id, active: out.certificateDescription?.status === 'ACTIVE' });
  }
  return certificates;
}

async function issueCertificate(
  iot: IoTClient,
  spec: DeviceSpec,
  thingCreated: boolean,
  afterAttach: () => Promise<void>,
): Promise<{ certificateArn: string; certificateId: string; files: CertificateFiles }> {
  const created = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
  const certificateArn = created.certificateArn!;
  const certificateId = created.certificateId!;
  const done = { files: false, policy: false, thing: false };
  let step = 'writing the certificate files';
  try {
    const files = await writeCertificateFiles(spec.certDir, spec.thingName, {
      certificatePem: created.certificatePem!,
      privateKey: created.keyPair!.PrivateKey!,
    });
    done.files = true;
    step = `attaching policy ${spec.policyName}`;
    await iot.send(new AttachPolicyCommand({ policyName: spec.policyName, target: certificateArn }));
    done.policy = true;
    step = `attaching the certificate to ${spec.thingName}`;
    await iot.send(new AttachThingPrincipalCommand({ thingName: spec.thingName, principal: certificateArn }));
    done.thing = true;
    step = 'registering';
    await afterAttach();
    return { certificateArn, certificateId, files };
  } catch (err) {
    const undo = await rollBack(iot, spec, { certificateArn, certificateId, thingCreated, ...done });
    throw new ProvisioningError(`${spec.thingName}: ${step} failed: ${oneLine(err)}; ${undo}`);
  }
}

/** Undoes a half-done provisioning in reverse order; says what was undone and what is left to remove by hand. */
async function rollBack(
  iot: IoTClient,
  spec: DeviceSpec,
  state: { certificateArn: string; certificateId: string; thingCreated: boolean; files: boolean; policy: boolean; thing: boolean },
): Promise<string> {
  const undone: string[] = [];
  const left: string[] = [];
  const attempt = async (what: string, action: () => Promise<unknown>) => {
    try {
      await action();
      undone.push(what);
    } catch {
      left.push(what);
    }
  };
  if (state.thing) {
    await attempt('certificate detached from the thing', () =>
      iot.send(new DetachThingPrincipalCommand({ thingName: spec.thingName, principal: state.certificateArn })),
    );
  }
  if (state.policy) await attempt('policy detached', () => iot.send(new DetachPolicyCommand({ policyName: spec.policyName, target: state.certificateArn })));
  await attempt(`certificate ${state.certificateId} deleted`, async () => {
    await iot.send(new UpdateCertificateCommand({ certificateId: state.certificateId, newStatus: 'INACTIVE' }));
    await iot.send(new DeleteCertificateCommand({ certificateId: state.certificateId }));
  });
  if (state.files) await attempt('files removed', () => removeCertificateFiles(spec.certDir, spec.thingName));
  // A thing found existing is left alone: it may have certificates and history of its own.
  if (state.thingCreated) await attempt(`thing ${spec.thingName} deleted`, () => iot.send(new DeleteThingCommand({ thingName: spec.thingName })));
  return left.length === 0
    ? `rolled back: ${undone.join(', ')}`
    : `roll-back incomplete, not done: ${left.join(', ')} (done: ${undone.join(', ') || 'nothing'})`;
}

/** Makes a certificate inactive and detaches it from the thing and from every policy. Kept (inactive) for the audit trail. */
async function retireCertificate(iot: IoTClient, thingName: string, certificate: Attached): Promise<void> {
  if (certificate.active) await iot.send(new UpdateCertificateCommand({ certificateId: certificate.id, newStatus: 'INACTIVE' }));
  const policies = await iot.send(new ListAttachedPoliciesCommand({ target: certificate.arn }));
  for (const policy of policies.policies ?? []) {
    if (policy.policyName) await iot.send(new DetachPolicyCommand({ policyName: policy.policyName, target: certificate.arn }));
  }
  await iot.send(new DetachThingPrincipalCommand({ thingName, principal: certificate.arn }));
}

async function regionOf(iot: IoTClient): Promise<string> {
  const region = iot.config.region;
  return typeof region === 'function' ? await region() : String(region);
}
