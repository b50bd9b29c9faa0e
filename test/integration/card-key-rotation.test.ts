/**
 * A card's taps stay linked across a rotation of the card-hash key, as stored in DynamoDB Local by the ingest
 * function: the tap before the rotation keeps the old key's hash, the one after it carries the new key's hash and
 * a link hash under the old key.
 */
import type { KinesisStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRuleEnvelope } from '../../shared/catalogue/index.js';
import { createCardPseudonymiser } from '../../shared/adapters/card-pseudonymiser.js';
import { serialiseCardKeyRing } from '../../shared/adapters/card-key-ring.js';
import { createIngestDeps } from '../../functions/ingest-telemetry/deps.js';
import { createIngestHandler } from '../../functions/ingest-telemetry/ingest-handler.js';
import { fixedClock } from '../../shared/domain/ports/clock.js';
import { silentLogger } from '../../shared/domain/ports/logger.js';
import { sameCard, type CardPseudonyms } from '../../shared/domain/privacy/card-key-ring.js';
import { startTestStack, TEST_CARD_KEY, type TestStack } from '../support/test-stack.js';
import { TEST_NOW } from '../support/test-clock.js';

const HOUR = 3600 * 1000;
const NEW_KEY = 'card-hash-key-version-2-0123456789abcdef';
const BUS = 'ROTATE-1';
const CARD = '9704123412341234';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

/** One Kinesis event with one gate message of one tap, received at `atMs`. */
function gateEvent(tapId: string, cardId: string, atMs: number): KinesisStreamEvent {
  const payload = { v: 1, msgId: tapId, busId: BUS, taps: [{ tapId, ts: atMs - 1000, cardId, product: 'single', amountVnd: 7000, medium: 'card' }] };
  const envelope = buildRuleEnvelope(`bus/${BUS}/gate`, Buffer.from(JSON.stringify(payload)), atMs);
  return {
    Records: [
      {
        kinesis: {
          kinesisSchemaVersion: '1.0',
          partitionKey: BUS,
          sequenceNumber: String(atMs),
          data: Buffer.from(JSON.stringify(envelope)).toString('base64'),
          approximateArrivalTimestamp: atMs / 1000,
        },
        eventSource: 'aws:kinesis',
        eventVersion: '1.0',
        eventID: `shardId-000000000000:${atMs}`,
        eventName: 'aws:kinesis:record',
        invokeIdentityArn: 'arn:aws:iam::000000000000:role/test',
        awsRegion: 'local',
        eventSourceARN: 'arn:aws:kinesis:local:000000000000:stream/telemetry',
      },
    ],
  };
}

describe('rotating the card-hash key under the ingest function', () => {
  it("stores a card's taps before and after the rotation so that they are linked, and another card's apart", async () => {
    // The stack's generated key stays version 1; version 2 takes over at TEST_NOW.
    const ring = serialiseCardKeyRing([
      { version: 1, activeFromMs: 0, key: TEST_CARD_KEY },
      { version: 2, activeFromMs: TEST_NOW, key: NEW_KEY },
    ]);
    const clock = fixedClock(TEST_NOW - 2 * HOUR);
    const deps = await createIngestDeps({ ...stack.config, cardHashKey: { kind: 'inline', key: ring } }, silentLogger, clock);
    const handler = createIngestHandler(async () => deps);

    expect(await handler(gateEvent('before', CARD, clock.now()))).toEqual({ batchItemFailures: [] });
    clock.set(TEST_NOW + 2 * HOUR);
    expect(await handler(gateEvent('after', CARD, clock.now()))).toEqual({ batchItemFailures: [] });
    expect(await handler(gateEvent('other', '9704999988887777', clock.now()))).toEqual({ batchItemFailures: [] });

    const taps = await stack.telemetry.tapsBetween(BUS, TEST_NOW - 3 * HOUR, TEST_NOW + 3 * HOUR);
    const byId = new Map(taps.map((t) => [t.tapId, t]));
    expect(byId.get('before')).toMatchObject({ cardHash: createCardPseudonymiser(TEST_CARD_KEY)(CARD) });
    expect(byId.get('before')).not.toHaveProperty('cardKeyVersion');
    expect(byId.get('after')).toMatchObject({
      cardHash: createCardPseudonymiser(NEW_KEY)(CARD),
      cardKeyVersion: 2,
      cardLinkHashes: { 1: createCardPseudonymiser(TEST_CARD_KEY)(CARD) },
    });
    const pseudonyms = (id: string): CardPseudonyms => {
      const t = byId.get(id)!;
      return { cardHash: t.cardHash, cardKeyVersion: t.cardKeyVersion ?? 1, cardLinkHashes: t.cardLinkHashes ?? {} };
    };
    expect(sameCard(pseudonyms('before'), pseudonyms('after'))).toBe(true);
    expect(sameCard(pseudonyms('before'), pseudonyms('other'))).toBe(false);
  });
});
