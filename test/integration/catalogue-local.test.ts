/** The local world is built from the catalogue: every table with its keys, indexes and TTL; every topic ingested. */
import { DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tables, TELEMETRY_KINDS, telemetryTopic, type TableDef, type TableName } from '../../shared/catalogue/index.js';
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../shared/adapters/config.js';
import { createTables } from '../../shared/adapters/dynamodb/tables-admin.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';
import { TEST_SERVICE_DAY } from '../support/test-clock.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe('local tables match the catalogue', () => {
  // Made as `npm start` makes them (the test stack leaves TTL off: its fixed test day lies in the past).
  let names: Record<TableName, string>;
  beforeAll(async () => {
    names = loadConfig({ BUSFLOW_TABLE_PREFIX: `c${randomUUID().slice(0, 8)}-` }).tableNames;
    await createTables(stack.client, names);
  });

  it.each(Object.entries(tables) as [TableName, TableDef][])('%s', async (name, def) => {
    const TableName = names[name];
    const { Table } = await stack.client.send(new DescribeTableCommand({ TableName }));
    expect(Table?.KeySchema).toEqual([
      { AttributeName: def.partitionKey.name, KeyType: 'HASH' },
      ...(def.sortKey ? [{ AttributeName: def.sortKey.name, KeyType: 'RANGE' }] : []),
    ]);
    // DynamoDB does not keep the order the indexes were declared in.
    const byName = (a: [string | undefined, unknown], b: [string | undefined, unknown]) => String(a[0]).localeCompare(String(b[0]));
    expect(
      (Table?.GlobalSecondaryIndexes ?? []).map((g): [string | undefined, unknown] => [g.IndexName, g.KeySchema?.map((k) => k.AttributeName)]).sort(byName),
    ).toEqual(def.indexes.map((i): [string | undefined, unknown] => [i.name, [i.partitionKey.name, ...(i.sortKey ? [i.sortKey.name] : [])]]).sort(byName));
    const ttl = await stack.client.send(new DescribeTimeToLiveCommand({ TableName }));
    expect(ttl.TimeToLiveDescription?.AttributeName).toBe(def.ttlAttribute);
  });
});

describe('every telemetry topic reaches the ingest handler', () => {
  it.each(TELEMETRY_KINDS)('%s', async (kind) => {
    const busId = `TOPIC-${kind}`;
    const bus = await stack.connectBus(busId);
    const before = stack.router.stats.delivered;
    await stack.publish(bus, telemetryTopic(busId, kind), '{"not":"valid"}');
    await stack.settle();
    expect(stack.router.stats.delivered).toBe(before + 1);
    const rejects = await stack.rejects.list(TEST_SERVICE_DAY, busId);
    expect(rejects).toMatchObject([{ code: 'schema', topic: telemetryTopic(busId, kind) }]);
  });
});
