/** Rotating the card-hash key in Secrets Manager (mocked: no AWS account here): what is written, and what is deleted. */
import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient, UpdateSecretVersionStageCommand } from '@aws-sdk/client-secrets-manager';
import { rotateCardKeySecret } from '../../../infra/aws/card-keys/card-key-rotation.js';
import { TEST_NOW } from '../../support/test-clock.js';

const DAY = 24 * 3600 * 1000;
const SECRET = 'arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:CardHashKey1A2B-abcdef';
const GENERATED = 'GeneratedByTheStack0123456789abcdefghijklmnopqr';
const NEW_KEY = 'new-card-hash-key-0123456789abcdefghijklmnopqrs';
const smMock = mockClient(SecretsManagerClient);
const sm = new SecretsManagerClient({ region: 'ap-southeast-1' });

const written = () => smMock.commandCalls(PutSecretValueCommand).map((call) => call.args[0].input);

beforeEach(() => {
  smMock.reset();
  smMock.on(PutSecretValueCommand).resolves({});
  smMock.on(UpdateSecretVersionStageCommand).resolves({});
});

describe('rotating the card hash key secret', () => {
  it('turns the generated bare key into version 1 and adds version 2 taking over when told', async () => {
    smMock.on(GetSecretValueCommand).resolves({ SecretString: GENERATED, VersionId: 'v-old' });
    const at = TEST_NOW + 2 * DAY;
    const result = await rotateCardKeySecret(sm, { secretId: SECRET, nowMs: TEST_NOW, activeFromMs: at }, NEW_KEY);

    expect(written()).toHaveLength(1);
    expect(written()[0]!.SecretId).toBe(SECRET);
    expect(JSON.parse(written()[0]!.SecretString!)).toEqual({
      keys: [
        { version: 1, key: GENERATED, activeFrom: '1970-01-01T00:00:00.000Z' },
        { version: 2, key: NEW_KEY, activeFrom: '2026-03-12T03:00:00.000Z' },
      ],
    });
    expect(smMock.commandCalls(UpdateSecretVersionStageCommand)).toHaveLength(0);
    expect(result).toEqual({
      versions: [
        { version: 1, activeFrom: '1970-01-01T00:00:00.000Z' },
        { version: 2, activeFrom: '2026-03-12T03:00:00.000Z' },
      ],
      deletedVersions: [],
      written: true,
    });
  });

  it('pruning after the link window deletes the retired key and takes AWSPREVIOUS off the value that held it', async () => {
    const ring = {
      keys: [
        { version: 1, key: GENERATED, activeFrom: '1970-01-01T00:00:00.000Z' },
        { version: 2, key: NEW_KEY, activeFrom: '2026-03-12T03:00:00.000Z' },
      ],
    };
    smMock.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(ring), VersionId: 'v-with-key-1' });
    const retiresAt = Date.parse('2026-03-12T03:00:00.000Z') + 60 * DAY;

    expect(await rotateCardKeySecret(sm, { secretId: SECRET, nowMs: retiresAt - 1, activeFromMs: undefined })).toMatchObject({
      written: false,
      deletedVersions: [],
    });
    expect(written()).toHaveLength(0);

    const result = await rotateCardKeySecret(sm, { secretId: SECRET, nowMs: retiresAt, activeFromMs: undefined });
    expect(result.deletedVersions).toEqual([1]);
    expect(written()[0]!.SecretString).not.toContain(GENERATED);
    expect(JSON.parse(written()[0]!.SecretString!).keys.map((k: { version: number }) => k.version)).toEqual([2]);
    expect(smMock.commandCalls(UpdateSecretVersionStageCommand).map((call) => call.args[0].input)).toEqual([
      { SecretId: SECRET, VersionStage: 'AWSPREVIOUS', RemoveFromVersionId: 'v-with-key-1' },
    ]);
  });

  it('refuses a takeover in the past without writing', async () => {
    smMock.on(GetSecretValueCommand).resolves({ SecretString: GENERATED, VersionId: 'v-old' });
    await expect(rotateCardKeySecret(sm, { secretId: SECRET, nowMs: TEST_NOW, activeFromMs: TEST_NOW - DAY }, NEW_KEY)).rejects.toThrow(/in the past/);
    expect(written()).toHaveLength(0);
  });
});
