/**
 * A card's taps stay linked across a rotation of the card-hash key, as stored in DynamoDB Local by the ingest
 * function: the tap before the rotation keeps the old key's hash, the one after it carries the new key's hash and
 * a link hash under the old key. The journeys recomputed from them keep the link on their fare transactions, and
 * the TIDES export gives the card one token.
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
import { pseudonymsOf, sameCard, type CardPseudonyms } from '../../shared/domain/privacy/card-key-ring.js';
import { journeyRecomputer } from '../../shared/adapters/journeys.js';
import type { AttributedTap, JourneyRecord } from '../../shared/domain/journeys/journey-record.js';
import type { Network } from '../../shared/gtfs/model.js';
import { loadGtfs } from '../../shared/gtfs/load.js';
import { serviceTimeToEpochMs } from '../../shared/gtfs/time.js';
import { telemetryTopic } from '../../shared/catalogue/topics.js';
import { BusDay } from '../../simulator/core/bus-day.js';
import { planDay } from '../../simulator/core/day-plan.js';
import type { OutboundMessage, SimTap, TruthRecord } from '../../simulator/core/events.js';
import { faultProfiles } from '../../simulator/core/faults.js';
import { Rng } from '../../simulator/core/rng.js';
import { drawTrafficDay } from '../../simulator/core/traffic.js';
import { SAMPLE_NETWORK_DIR } from '../../simulator/networks/index.js';
import { payloadOf } from '../../simulator/output/sink.js';
import { startTestStack, TEST_CARD_KEY, type TestStack } from '../support/test-stack.js';
import { TEST_NOW, TEST_SERVICE_DAY } from '../support/test-clock.js';
import { describeErrors, parseCsv, tidesSchema, validateCsv } from '../support/table-schema.js';

const HOUR = 3600 * 1000;
const NEW_KEY = 'card-hash-key-version-2-0123456789abcdef';
const BUS = 'ROTATE-1';
const CARD = '9704123412341234';

let stack: TestStack;
let network: Network;
beforeAll(async () => {
  ({ network } = await loadGtfs(SAMPLE_NETWORK_DIR));
  stack = await startTestStack({ http: true, network });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

/** One Kinesis event of MQTT publishes (topic, payload, received at `atMs`), as the IoT rule forwards them. */
function kinesisEvent(publishes: readonly { topic: string; payload: string; atMs: number }[]): KinesisStreamEvent {
  return {
    Records: publishes.map(({ topic, payload, atMs }, i) => {
      const envelope = buildRuleEnvelope(topic, Buffer.from(payload), atMs);
      return {
        kinesis: {
          kinesisSchemaVersion: '1.0',
          partitionKey: topic.split('/')[1]!,
          sequenceNumber: `${atMs}${i}`,
          data: Buffer.from(JSON.stringify(envelope)).toString('base64'),
          approximateArrivalTimestamp: atMs / 1000,
        },
        eventSource: 'aws:kinesis',
        eventVersion: '1.0',
        eventID: `shardId-000000000000:${atMs}${i}`,
        eventName: 'aws:kinesis:record',
        invokeIdentityArn: 'arn:aws:iam::000000000000:role/test',
        awsRegion: 'local',
        eventSourceARN: 'arn:aws:kinesis:local:000000000000:stream/telemetry',
      };
    }),
  };
}

/** One Kinesis event with one gate message of one tap, received at `atMs`. */
function gateEvent(tapId: string, cardId: string, atMs: number): KinesisStreamEvent {
  const payload = { v: 1, msgId: tapId, busId: BUS, taps: [{ tapId, ts: atMs - 1000, cardId, product: 'single', amountVnd: 7000, medium: 'card' }] };
  return kinesisEvent([{ topic: `bus/${BUS}/gate`, payload: JSON.stringify(payload), atMs }]);
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
    const pseudonyms = (id: string): CardPseudonyms => pseudonymsOf(byId.get(id)!);
    expect(sameCard(pseudonyms('before'), pseudonyms('after'))).toBe(true);
    expect(sameCard(pseudonyms('before'), pseudonyms('other'))).toBe(false);
  });
});

/** A simulated bus's first two trips, as its device publishes them, with what really happened. */
function simulatedTwoTrips(): { busId: string; messages: OutboundMessage[]; trips: Extract<TruthRecord, { type: 'trip' }>[]; tripOfTap: Map<string, string> } {
  const plan = planDay(network, TEST_SERVICE_DAY, { seed: 8, maxBuses: 1 });
  const duty = plan.duties[0]!;
  const dayStart = serviceTimeToEpochMs(TEST_SERVICE_DAY, 0, network.timezone);
  const bus = new BusDay(network, duty, TEST_SERVICE_DAY, drawTrafficDay(new Rng(8, 't'), dayStart, []), new Rng(8, duty.busId), {
    gpsIntervalS: 5,
    wifiIntervalS: 60,
    singleFareVnd: 7000,
    profile: faultProfiles.none,
  });
  const messages: OutboundMessage[] = [];
  const trips: Extract<TruthRecord, { type: 'trip' }>[] = [];
  const tripOfTap = new Map<string, string>();
  const secondEnded = (t: number) => trips.length >= 2 && t > trips[1]!.actualEndMs! + 2 * 60_000;
  for (let t = bus.signOnMs; !bus.done && !secondEnded(t); t += 60_000) {
    for (const item of bus.advance(t + 60_000)) {
      if (item.message) messages.push(item.message);
      if (item.truth?.type === 'trip') trips.push(item.truth);
      if (item.truth?.type === 'tap' && item.truth.tripId) tripOfTap.set(item.truth.tap.tapId, item.truth.tripId);
    }
  }
  // Up to the end of the second trip: a third one begun would be cut off mid-way.
  const endMs = trips[1]!.actualEndMs!;
  return { busId: duty.busId, messages: messages.filter((m) => m.sendAtMs <= endMs + 60_000), trips: trips.slice(0, 2), tripOfTap };
}

describe("a card's fare transactions in the journeys across a key rotation", () => {
  it('are linked by sameCard, and the TIDES export gives the card one token', async () => {
    const { busId, messages, trips, tripOfTap } = simulatedTwoTrips();
    const [first, second] = trips as [(typeof trips)[0], (typeof trips)[0]];
    expect(first.actualEndMs! <= second.actualStartMs!).toBe(true);
    // Version 2 takes over between the two trips.
    const rotationMs = Math.round((first.actualEndMs! + second.actualStartMs!) / 2);
    const gateTaps = messages.filter((m) => m.kind === 'gate').flatMap((m) => (m.body as { taps: SimTap[] }).taps);
    const cardTapsOf = (tripId: string) => gateTaps.filter((t) => t.medium !== 'cash' && tripOfTap.get(t.tapId) === tripId);
    const before = cardTapsOf(first.tripId).at(-1)!;
    const [after, other] = cardTapsOf(second.tripId) as [SimTap, SimTap];
    expect(before && after && other).toBeTruthy();
    // One passenger rides both trips with the same card; another card pays on the second.
    before.cardId = CARD;
    after.cardId = CARD;
    other.cardId = '9704555566667777';

    const ring = serialiseCardKeyRing([
      { version: 1, activeFromMs: 0, key: TEST_CARD_KEY },
      { version: 2, activeFromMs: rotationMs, key: NEW_KEY },
    ]);
    const clock = fixedClock(messages[0]!.sendAtMs);
    const deps = await createIngestDeps({ ...stack.config, cardHashKey: { kind: 'inline', key: ring } }, silentLogger, clock);
    const handler = createIngestHandler(async () => deps);
    // Batches as the stream delivers them, none across the rotation: the ingest clock is each batch's last arrival.
    const batches: OutboundMessage[][] = [];
    for (const m of messages) {
      const last = batches.at(-1);
      if (last && last.length < 100 && last[0]!.sendAtMs < rotationMs === m.sendAtMs < rotationMs) last.push(m);
      else batches.push([m]);
    }
    for (const batch of batches) {
      clock.set(batch.at(-1)!.sendAtMs);
      const event = kinesisEvent(batch.map((m) => ({ topic: telemetryTopic(m.busId, m.kind), payload: payloadOf(m), atMs: m.sendAtMs })));
      expect(await handler(event)).toEqual({ batchItemFailures: [] });
    }

    clock.set(second.actualEndMs! + HOUR);
    await journeyRecomputer(stack.doc, stack.config.tableNames, silentLogger, clock).busDay(busId, TEST_SERVICE_DAY);
    const centre = await stack.http!.issuer.sign({ role: 'centre' });
    const get = (path: string) => fetch(`${stack.http!.url}${path}`, { headers: { authorization: `Bearer ${centre}` } });

    const listed = await get(`/v1/journeys?serviceDay=${TEST_SERVICE_DAY}&busId=${busId}&limit=50`);
    expect(listed.status).toBe(200);
    const journeys = ((await listed.json()) as { items: JourneyRecord[] }).items;
    const fares = new Map<string, AttributedTap>(journeys.flatMap((j) => j.visits.flatMap((v) => v.taps ?? [])).map((t) => [t.tapId, t]));
    const oldHash = createCardPseudonymiser(TEST_CARD_KEY)(CARD);
    expect(fares.get(before.tapId)).toMatchObject({ cardHash: oldHash });
    expect(fares.get(before.tapId)).not.toHaveProperty('cardKeyVersion');
    expect(fares.get(before.tapId)).not.toHaveProperty('cardLinkHashes');
    expect(fares.get(after.tapId)).toMatchObject({ cardHash: createCardPseudonymiser(NEW_KEY)(CARD), cardKeyVersion: 2, cardLinkHashes: { 1: oldHash } });
    const fareOf = (id: string) => pseudonymsOf(fares.get(id)!);
    expect(sameCard(fareOf(before.tapId), fareOf(after.tapId))).toBe(true);
    expect(sameCard(fareOf(other.tapId), fareOf(after.tapId))).toBe(false);

    const exported = await get(`/v1/journeys/tides/fare_transactions?serviceDay=${TEST_SERVICE_DAY}`);
    expect(exported.status).toBe(200);
    const csv = await exported.text();
    const errors = validateCsv(csv, tidesSchema('fare_transactions'));
    expect(errors, describeErrors(errors)).toEqual([]);
    const [header, ...rows] = parseCsv(csv);
    const tokenOf = new Map(rows.map((r) => [r[header!.indexOf('transaction_id')]!, r[header!.indexOf('token_id')]!]));
    expect(tokenOf.get(`${busId}:${before.tapId}`)).toBe(oldHash);
    expect(tokenOf.get(`${busId}:${after.tapId}`)).toBe(oldHash);
    expect(tokenOf.get(`${busId}:${other.tapId}`)).toBe(createCardPseudonymiser(TEST_CARD_KEY)('9704555566667777'));
    expect([...tokenOf.values()].filter((t) => t === oldHash)).toHaveLength(2);
  }, 60_000);
});
