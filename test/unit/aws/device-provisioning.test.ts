/**
 * Provisioning buses and boards on AWS IoT Core, against mocked SDK clients (no AWS account here): the exact
 * commands and inputs sent, the certificate files as the simulator reads them, idempotent second runs,
 * certificate replacement, revocation, and what a failure half-way undoes.
 */
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { X509Certificate } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
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
  IoTClient,
  ListAttachedPoliciesCommand,
  ListThingPrincipalsCommand,
  ResourceNotFoundException,
  UpdateCertificateCommand,
  UpdateThingCommand,
} from '@aws-sdk/client-iot';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ZodError } from 'zod';
import { DynamoVehicleRepository } from '../../../shared/adapters/dynamodb/vehicle-repository.js';
import { iotNames } from '../../../infra/constructs/iot-names.js';
import { provisionBus, revokeBus } from '../../../infra/aws/provisioning/bus-provisioning.js';
import { provisionBoard, revokeBoard } from '../../../infra/aws/provisioning/board-provisioning.js';
import { ProvisioningError } from '../../../infra/aws/provisioning/provisioning-error.js';
import { runCommand } from '../../../infra/aws/cli/cli-support.js';
import { certificateDirectory } from '../../../simulator/output/mqtt-sink.js';

const REGION = 'ap-southeast-1';
const ENDPOINT = 'a1b2c3d4e5f6g7-ats.iot.ap-southeast-1.amazonaws.com';
const certArn = (id: string) => `arn:aws:iot:${REGION}:123456789012:cert/${id}`;
const NEW_CERT = 'a'.repeat(64);
const OLD_CERT = 'b'.repeat(64);
const CERT_PEM = '-----BEGIN CERTIFICATE-----\nMIIBnew\n-----END CERTIFICATE-----\n';
const KEY_PEM = '-----BEGIN RSA PRIVATE KEY-----\nMIIEsecret\n-----END RSA PRIVATE KEY-----\n';
const VEHICLES_TABLE = 'BusFlowStack-TablesVehicles1A2B3C4D-XYZ';
const names = iotNames('BusFlowStack');

const iotMock = mockClient(IoTClient);
const docMock = mockClient(DynamoDBDocumentClient);
const iot = new IoTClient({ region: REGION });
const vehicles = new DynamoVehicleRepository(DynamoDBDocumentClient.from(new DynamoDBClient({ region: REGION })), VEHICLES_TABLE);
let certDir: string;

const notFound = (message: string) => new ResourceNotFoundException({ message, $metadata: {} });
const sentNames = () => iotMock.calls().map((call) => (call.args[0] as object).constructor.name.replace(/Command$/, ''));
const inputsOf = (command: abstract new (...args: never[]) => { input: unknown }) =>
  iotMock
    .calls()
    .map((call) => call.args[0])
    .filter((sent) => sent instanceof command)
    .map((sent) => (sent as { input: unknown }).input);

/** Every undoing command succeeds (a test may make one fail afterwards). */
function acceptUndoing(): void {
  iotMock.on(UpdateCertificateCommand).resolves({});
  iotMock.on(DetachPolicyCommand).resolves({});
  iotMock.on(DetachThingPrincipalCommand).resolves({});
  iotMock.on(DeleteCertificateCommand).resolves({});
  iotMock.on(DeleteThingCommand).resolves({});
}

/** An account where the stack is deployed and the device does not exist yet. */
function freshAccount(): void {
  iotMock.on(GetPolicyCommand).resolves({ policyName: 'any' });
  iotMock.on(DescribeThingTypeCommand).resolves({ thingTypeMetadata: { deprecated: false } });
  iotMock.on(DescribeEndpointCommand).resolves({ endpointAddress: ENDPOINT });
  iotMock.on(DescribeThingCommand).rejects(notFound('thing not found'));
  iotMock.on(CreateThingCommand).callsFake((input: { thingName: string }) => ({ thingArn: `arn:aws:iot:${REGION}:123456789012:thing/${input.thingName}` }));
  iotMock.on(ListThingPrincipalsCommand).resolves({ principals: [] });
  iotMock.on(CreateKeysAndCertificateCommand).resolves({
    certificateArn: certArn(NEW_CERT),
    certificateId: NEW_CERT,
    certificatePem: CERT_PEM,
    keyPair: { PrivateKey: KEY_PEM, PublicKey: '-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n' },
  });
  iotMock.on(AttachPolicyCommand).resolves({});
  iotMock.on(AttachThingPrincipalCommand).resolves({});
  docMock.on(UpdateCommand).resolves({});
}

/** The thing exists with these attributes and an active certificate OLD_CERT with the bus policy. */
function existingBus(attributes: Record<string, string>): void {
  iotMock.on(DescribeThingCommand).resolves({
    thingName: 'BUS-001',
    thingArn: `arn:aws:iot:${REGION}:123456789012:thing/BUS-001`,
    thingTypeName: names.busThingType,
    attributes,
    version: 3,
  });
  iotMock.on(ListThingPrincipalsCommand).resolves({ principals: [certArn(OLD_CERT)] });
  iotMock.on(DescribeCertificateCommand, { certificateId: OLD_CERT }).resolves({ certificateDescription: { status: 'ACTIVE' } });
  iotMock.on(ListAttachedPoliciesCommand).resolves({ policies: [{ policyName: names.busPolicy }] });
}

const bus = { busId: 'BUS-001', operatorId: 'OP1', plate: '51B-123.45' };
const busTarget = () => ({ iot, vehicles, names, certDir });

beforeEach(async () => {
  iotMock.reset();
  docMock.reset();
  certDir = await mkdtemp(join(tmpdir(), 'busflow-certs-'));
});
afterEach(async () => {
  await rm(certDir, { recursive: true, force: true });
});

describe('provisioning a new bus', () => {
  it('creates the thing of type Bus with operator and plate, an active certificate, and attaches the bus policy and the thing', async () => {
    freshAccount();
    const device = await provisionBus(busTarget(), bus);

    expect(inputsOf(GetPolicyCommand)).toEqual([{ policyName: 'BusFlowStack-BusPolicy' }]);
    expect(inputsOf(DescribeThingTypeCommand)).toEqual([{ thingTypeName: 'BusFlowStack-Bus' }]);
    expect(inputsOf(DescribeEndpointCommand)).toEqual([{ endpointType: 'iot:Data-ATS' }]);
    expect(inputsOf(CreateThingCommand)).toEqual([
      { thingName: 'BUS-001', thingTypeName: 'BusFlowStack-Bus', attributePayload: { attributes: { operator: 'OP1', plate: '51B-123.45' } } },
    ]);
    expect(inputsOf(CreateKeysAndCertificateCommand)).toEqual([{ setAsActive: true }]);
    expect(inputsOf(AttachPolicyCommand)).toEqual([{ policyName: 'BusFlowStack-BusPolicy', target: certArn(NEW_CERT) }]);
    expect(inputsOf(AttachThingPrincipalCommand)).toEqual([{ thingName: 'BUS-001', principal: certArn(NEW_CERT) }]);
    // Policy attached before the thing, and nothing that deactivates, detaches or deletes.
    expect(sentNames()).toEqual([
      'GetPolicy',
      'DescribeThingType',
      'DescribeEndpoint',
      'DescribeThing',
      'CreateThing',
      'ListThingPrincipals',
      'CreateKeysAndCertificate',
      'AttachPolicy',
      'AttachThingPrincipal',
    ]);
    expect(device).toMatchObject({
      thingName: 'BUS-001',
      thingCreated: true,
      certificateId: NEW_CERT,
      certificateIssued: true,
      retiredCertificateIds: [],
      endpoint: ENDPOINT,
    });
  });

  it('registers the vehicle in the deployed vehicles table as bus:add does, without a local MQTT password', async () => {
    freshAccount();
    await provisionBus(busTarget(), bus);
    const updates = docMock.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({
      TableName: VEHICLES_TABLE,
      Key: { busId: 'BUS-001' },
      UpdateExpression: 'SET operatorId = :op, plate = :plate, plateKey = :plateKey, registeredAt = if_not_exists(registeredAt, :at)',
      // The plate as the complaints look a bus up by it (the vehicles table's byPlate index).
      ExpressionAttributeValues: { ':op': 'OP1', ':plate': '51B-123.45', ':plateKey': '51B12345' },
    });
    expect(updates[0]!.ExpressionAttributeValues).not.toHaveProperty(':cred');
  });

  it('writes the certificate, a private key only its owner can read, and Amazon Root CA 1, where the simulator finds them', async () => {
    freshAccount();
    const device = await provisionBus(busTarget(), bus);

    expect((await readdir(certDir)).sort()).toEqual(['AmazonRootCA1.pem', 'BUS-001.cert.pem', 'BUS-001.private.key']);
    expect((await stat(join(certDir, 'BUS-001.private.key'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(certDir, 'BUS-001.cert.pem'))).mode & 0o777).toBe(0o644);
    expect(device.files).toEqual({
      certificate: join(certDir, 'BUS-001.cert.pem'),
      privateKey: join(certDir, 'BUS-001.private.key'),
      rootCa: join(certDir, 'AmazonRootCA1.pem'),
    });
    const ca = new X509Certificate(await readFile(join(certDir, 'AmazonRootCA1.pem'), 'utf8'));
    expect(ca.subject).toContain('CN=Amazon Root CA 1');
    expect(ca.fingerprint256).toBe('8E:CD:E6:88:4F:3D:87:B1:12:5B:A3:1A:C3:FC:B1:3D:70:16:DE:7F:57:CC:90:4F:E1:CB:97:C6:AE:98:19:6E');

    // The layout `npm run sim -- --target iot --certs DIR` reads.
    const identity = await certificateDirectory(certDir)('BUS-001');
    expect(identity).toEqual({ kind: 'certificate', certPem: CERT_PEM, keyPem: KEY_PEM, caPem: expect.stringContaining('BEGIN CERTIFICATE') });
  });

  it('refuses a bad plate before any AWS call', async () => {
    freshAccount();
    await expect(provisionBus(busTarget(), { ...bus, plate: 'no plate' })).rejects.toBeInstanceOf(ZodError);
    await expect(provisionBus(busTarget(), { ...bus, busId: 'BUS/001' })).rejects.toBeInstanceOf(ZodError);
    expect(iotMock.calls()).toHaveLength(0);
    expect(docMock.calls()).toHaveLength(0);
  });
});

describe('provisioning a bus again', () => {
  it('reuses the thing and its active certificate: no new certificate, no files, the policy attachment and vehicle record refreshed', async () => {
    freshAccount();
    existingBus({ operator: 'OP1', plate: '51B-123.45' });
    const device = await provisionBus(busTarget(), bus);

    expect(inputsOf(CreateThingCommand)).toEqual([]);
    expect(inputsOf(UpdateThingCommand)).toEqual([]);
    expect(inputsOf(CreateKeysAndCertificateCommand)).toEqual([]);
    expect(inputsOf(AttachPolicyCommand)).toEqual([{ policyName: 'BusFlowStack-BusPolicy', target: certArn(OLD_CERT) }]);
    expect(inputsOf(UpdateCertificateCommand)).toEqual([]);
    expect(await readdir(certDir)).toEqual([]);
    expect(docMock.commandCalls(UpdateCommand)).toHaveLength(1);
    expect(device).toMatchObject({ thingCreated: false, certificateId: OLD_CERT, certificateIssued: false, files: undefined });
  });

  it('updates the attributes of a bus whose plate changed, keeping attributes set by hand (merge)', async () => {
    freshAccount();
    existingBus({ operator: 'OP1', plate: '51B-999.99', depot: 'An Sương' });
    await provisionBus(busTarget(), bus);
    expect(inputsOf(UpdateThingCommand)).toEqual([
      {
        thingName: 'BUS-001',
        thingTypeName: 'BusFlowStack-Bus',
        attributePayload: { attributes: { operator: 'OP1', plate: '51B-123.45' }, merge: true },
        expectedVersion: 3,
      },
    ]);
  });

  it('with a new certificate: attaches the new one first, then deactivates and detaches the old one', async () => {
    freshAccount();
    existingBus({ operator: 'OP1', plate: '51B-123.45' });
    iotMock.on(UpdateCertificateCommand).resolves({});
    iotMock.on(DetachPolicyCommand).resolves({});
    iotMock.on(DetachThingPrincipalCommand).resolves({});
    const device = await provisionBus(busTarget(), bus, { newCertificate: true });

    expect(inputsOf(AttachThingPrincipalCommand)).toEqual([{ thingName: 'BUS-001', principal: certArn(NEW_CERT) }]);
    expect(inputsOf(UpdateCertificateCommand)).toEqual([{ certificateId: OLD_CERT, newStatus: 'INACTIVE' }]);
    expect(inputsOf(DetachPolicyCommand)).toEqual([{ policyName: 'BusFlowStack-BusPolicy', target: certArn(OLD_CERT) }]);
    expect(inputsOf(DetachThingPrincipalCommand)).toEqual([{ thingName: 'BUS-001', principal: certArn(OLD_CERT) }]);
    const order = sentNames();
    expect(order.indexOf('AttachThingPrincipal')).toBeLessThan(order.indexOf('UpdateCertificate'));
    expect(inputsOf(DeleteCertificateCommand)).toEqual([]);
    expect(device).toMatchObject({ certificateId: NEW_CERT, certificateIssued: true, retiredCertificateIds: [OLD_CERT] });
  });
});

describe('failures', () => {
  it('a missing policy stops before anything is created, with a one-line message naming the policy and region', async () => {
    freshAccount();
    iotMock.on(GetPolicyCommand).rejects(notFound('Policy not found'));
    const error = await provisionBus(busTarget(), bus).catch((err: unknown) => err);

    expect(error).toBeInstanceOf(ProvisioningError);
    expect((error as Error).message).toBe(
      'IoT policy BusFlowStack-BusPolicy not found in ap-southeast-1: deploy the stack there first (npx cdk deploy), or give --stack / --region / --policy',
    );
    expect(sentNames()).toEqual(['GetPolicy']);
    expect(docMock.calls()).toHaveLength(0);
  });

  it('the command prints a failure as one line, never a stack trace', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const exitCode = await runCommand('provision bus BUS-001', async () => {
        throw new ProvisioningError('IoT policy BusFlowStack-BusPolicy not found in ap-southeast-1: deploy the stack there first');
      });
      const unexpected = await runCommand('provision bus BUS-001', async () => {
        throw Object.assign(new Error('Could not load credentials from any providers\n    at CredentialsProviderError (node_modules/...)'), {
          name: 'CredentialsProviderError',
        });
      });
      expect([exitCode, unexpected]).toEqual([1, 1]);
      expect(errors.mock.calls).toEqual([
        ['Could not provision bus BUS-001: IoT policy BusFlowStack-BusPolicy not found in ap-southeast-1: deploy the stack there first'],
        ['Could not provision bus BUS-001: Could not load credentials from any providers'],
      ]);
    } finally {
      errors.mockRestore();
    }
  });

  it('a thing type the stack did not create is reported, nothing created', async () => {
    freshAccount();
    iotMock.on(DescribeThingTypeCommand).rejects(notFound('ThingType not found'));
    await expect(provisionBus(busTarget(), bus)).rejects.toThrow(/^IoT thing type BusFlowStack-Bus not found in ap-southeast-1/);
    expect(inputsOf(CreateThingCommand)).toEqual([]);
  });

  it('attaching the thing fails: the policy is detached, the certificate and the new thing deleted, the files removed', async () => {
    freshAccount();
    iotMock.on(AttachThingPrincipalCommand).rejects(new Error('Rate exceeded'));
    iotMock.on(DetachPolicyCommand).resolves({});
    iotMock.on(UpdateCertificateCommand).resolves({});
    iotMock.on(DeleteCertificateCommand).resolves({});
    iotMock.on(DeleteThingCommand).resolves({});
    const error = await provisionBus(busTarget(), bus).catch((err: unknown) => err);

    expect(error).toBeInstanceOf(ProvisioningError);
    expect((error as Error).message).toBe(
      `BUS-001: attaching the certificate to BUS-001 failed: Rate exceeded; rolled back: policy detached, certificate ${NEW_CERT} deleted, files removed, thing BUS-001 deleted`,
    );
    expect(inputsOf(DetachPolicyCommand)).toEqual([{ policyName: 'BusFlowStack-BusPolicy', target: certArn(NEW_CERT) }]);
    expect(inputsOf(UpdateCertificateCommand)).toEqual([{ certificateId: NEW_CERT, newStatus: 'INACTIVE' }]);
    expect(inputsOf(DeleteCertificateCommand)).toEqual([{ certificateId: NEW_CERT }]);
    expect(inputsOf(DeleteThingCommand)).toEqual([{ thingName: 'BUS-001' }]);
    expect(inputsOf(DetachThingPrincipalCommand)).toEqual([]);
    expect(await readdir(certDir)).toEqual(['AmazonRootCA1.pem']);
    expect(docMock.calls()).toHaveLength(0);
  });

  it('the vehicle record cannot be written: the new certificate is detached and deleted, the existing thing is kept', async () => {
    freshAccount();
    existingBus({ operator: 'OP1', plate: '51B-123.45' });
    iotMock.on(ListThingPrincipalsCommand).resolves({ principals: [] });
    docMock.on(UpdateCommand).rejects(new Error('Requested resource not found'));
    acceptUndoing();
    const error = await provisionBus(busTarget(), bus).catch((err: unknown) => err);

    expect((error as Error).message).toBe(
      `BUS-001: registering failed: Requested resource not found; rolled back: certificate detached from the thing, policy detached, certificate ${NEW_CERT} deleted, files removed`,
    );
    expect(inputsOf(DetachThingPrincipalCommand)).toEqual([{ thingName: 'BUS-001', principal: certArn(NEW_CERT) }]);
    expect(inputsOf(DeleteThingCommand)).toEqual([]);
  });

  it('a roll-back that cannot delete the certificate says what is left', async () => {
    freshAccount();
    iotMock.on(AttachPolicyCommand).rejects(new Error('Access denied'));
    iotMock.on(UpdateCertificateCommand).resolves({});
    iotMock.on(DeleteCertificateCommand).rejects(new Error('Throttled'));
    iotMock.on(DeleteThingCommand).resolves({});
    const error = await provisionBus(busTarget(), bus).catch((err: unknown) => err);
    expect((error as Error).message).toBe(
      `BUS-001: attaching policy BusFlowStack-BusPolicy failed: Access denied; roll-back incomplete, not done: certificate ${NEW_CERT} deleted ` +
        '(done: files removed, thing BUS-001 deleted)',
    );
  });
});

describe('revoking a bus', () => {
  it('deactivates its active certificates, detaches every certificate from its policies and the thing, and deletes nothing', async () => {
    const SPARE = 'c'.repeat(64);
    iotMock.on(DescribeThingCommand).resolves({ thingName: 'BUS-001' });
    iotMock.on(ListThingPrincipalsCommand).resolves({ principals: [certArn(OLD_CERT), certArn(SPARE)] });
    iotMock.on(DescribeCertificateCommand, { certificateId: OLD_CERT }).resolves({ certificateDescription: { status: 'ACTIVE' } });
    iotMock.on(DescribeCertificateCommand, { certificateId: SPARE }).resolves({ certificateDescription: { status: 'INACTIVE' } });
    iotMock.on(ListAttachedPoliciesCommand).resolves({ policies: [{ policyName: names.busPolicy }] });
    acceptUndoing();

    expect(await revokeBus(iot, 'BUS-001')).toEqual({ revokedCertificateIds: [OLD_CERT, SPARE] });
    expect(inputsOf(UpdateCertificateCommand)).toEqual([{ certificateId: OLD_CERT, newStatus: 'INACTIVE' }]);
    expect(inputsOf(DetachPolicyCommand)).toEqual([
      { policyName: 'BusFlowStack-BusPolicy', target: certArn(OLD_CERT) },
      { policyName: 'BusFlowStack-BusPolicy', target: certArn(SPARE) },
    ]);
    expect(inputsOf(DetachThingPrincipalCommand)).toEqual([
      { thingName: 'BUS-001', principal: certArn(OLD_CERT) },
      { thingName: 'BUS-001', principal: certArn(SPARE) },
    ]);
    expect(inputsOf(DeleteCertificateCommand)).toEqual([]);
    expect(inputsOf(DeleteThingCommand)).toEqual([]);
  });

  it('a second revoke finds nothing to revoke; an unknown bus is an error', async () => {
    iotMock.on(DescribeThingCommand, { thingName: 'BUS-001' }).resolves({ thingName: 'BUS-001' });
    iotMock.on(DescribeThingCommand, { thingName: 'BUS-404' }).rejects(notFound('thing not found'));
    iotMock.on(ListThingPrincipalsCommand).resolves({ principals: [] });
    expect(await revokeBus(iot, 'BUS-001')).toEqual({ revokedCertificateIds: [] });
    await expect(revokeBus(iot, 'BUS-404')).rejects.toThrow(new ProvisioningError('there is no IoT thing BUS-404: nothing to revoke'));
  });
});

describe('stop boards', () => {
  it('are things of type StopBoard named by the stop, with the board policy and files named by the stop', async () => {
    freshAccount();
    const device = await provisionBoard({ iot, names, certDir }, 'S-BEN-THANH');

    expect(inputsOf(GetPolicyCommand)).toEqual([{ policyName: 'BusFlowStack-BoardPolicy' }]);
    expect(inputsOf(CreateThingCommand)).toEqual([{ thingName: 'S-BEN-THANH', thingTypeName: 'BusFlowStack-StopBoard', attributePayload: { attributes: {} } }]);
    expect(inputsOf(AttachPolicyCommand)).toEqual([{ policyName: 'BusFlowStack-BoardPolicy', target: certArn(NEW_CERT) }]);
    expect(inputsOf(AttachThingPrincipalCommand)).toEqual([{ thingName: 'S-BEN-THANH', principal: certArn(NEW_CERT) }]);
    expect((await readdir(certDir)).sort()).toEqual(['AmazonRootCA1.pem', 'S-BEN-THANH.cert.pem', 'S-BEN-THANH.private.key']);
    expect((await stat(join(certDir, 'S-BEN-THANH.private.key'))).mode & 0o777).toBe(0o600);
    expect(docMock.calls()).toHaveLength(0);
    expect(device.endpoint).toBe(ENDPOINT);
  });

  it('refuses a GTFS stop id that cannot be a thing name, before any AWS call', async () => {
    freshAccount();
    await expect(provisionBoard({ iot, names, certDir }, 'stop.1')).rejects.toThrow(/this stop cannot have a board on IoT Core/);
    expect(iotMock.calls()).toHaveLength(0);
  });

  it('revoking a board deactivates and detaches its certificate', async () => {
    iotMock.on(DescribeThingCommand).resolves({ thingName: 'S-BEN-THANH' });
    iotMock.on(ListThingPrincipalsCommand).resolves({ principals: [certArn(OLD_CERT)] });
    iotMock.on(DescribeCertificateCommand).resolves({ certificateDescription: { status: 'ACTIVE' } });
    iotMock.on(ListAttachedPoliciesCommand).resolves({ policies: [{ policyName: names.boardPolicy }] });
    acceptUndoing();

    expect(await revokeBoard(iot, 'S-BEN-THANH')).toEqual({ revokedCertificateIds: [OLD_CERT] });
    expect(inputsOf(DetachPolicyCommand)).toEqual([{ policyName: 'BusFlowStack-BoardPolicy', target: certArn(OLD_CERT) }]);
    expect(inputsOf(DetachThingPrincipalCommand)).toEqual([{ thingName: 'S-BEN-THANH', principal: certArn(OLD_CERT) }]);
  });
});
