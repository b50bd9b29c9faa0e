/** Finding the deployed vehicles table for `bus:provision`: given, from TABLE_VEHICLES, or by the name CloudFormation gave it. */
import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { resolveVehiclesTable } from '../../../infra/aws/provisioning/vehicles-table.js';

const dynamoMock = mockClient(DynamoDBClient);
const dynamo = new DynamoDBClient({ region: 'ap-southeast-1' });

beforeEach(() => dynamoMock.reset());

describe('the vehicles table of a deployed stack', () => {
  it('is the one given, else TABLE_VEHICLES, without listing tables', async () => {
    expect(await resolveVehiclesTable(dynamo, 'BusFlowStack', 'given-table', { TABLE_VEHICLES: 'env-table' })).toBe('given-table');
    expect(await resolveVehiclesTable(dynamo, 'BusFlowStack', undefined, { TABLE_VEHICLES: 'env-table' })).toBe('env-table');
    expect(dynamoMock.calls()).toHaveLength(0);
  });

  it("is found by the stack's CloudFormation name prefix across pages of ListTables", async () => {
    dynamoMock.on(ListTablesCommand, {}).resolves({
      TableNames: ['BusFlowStack-TablesTelemetry9F8E-AAA', 'OtherStack-TablesVehicles1234-BBB'],
      LastEvaluatedTableName: 'OtherStack-TablesVehicles1234-BBB',
    });
    dynamoMock
      .on(ListTablesCommand, { ExclusiveStartTableName: 'OtherStack-TablesVehicles1234-BBB' })
      .resolves({ TableNames: ['BusFlowStack-TablesVehicles1A2B3C4D-XYZ', 'BusFlowStack-TablesTripOrders77-CCC'] });
    expect(await resolveVehiclesTable(dynamo, 'BusFlowStack', undefined, {})).toBe('BusFlowStack-TablesVehicles1A2B3C4D-XYZ');
    expect(dynamoMock.commandCalls(ListTablesCommand)).toHaveLength(2);
  });

  it('asks for --vehicles-table when no table or several match', async () => {
    dynamoMock.on(ListTablesCommand).resolves({ TableNames: ['OtherStack-TablesVehicles1234-BBB'] });
    await expect(resolveVehiclesTable(dynamo, 'BusFlowStack', undefined, {})).rejects.toThrow(
      'no table named BusFlowStack-TablesVehicles… in this region: deploy the stack, or give --vehicles-table NAME',
    );
    dynamoMock.on(ListTablesCommand).resolves({ TableNames: ['BusFlowStack-TablesVehicles1-A', 'BusFlowStack-TablesVehicles2-B'] });
    await expect(resolveVehiclesTable(dynamo, 'BusFlowStack', undefined, {})).rejects.toThrow(/several tables named BusFlowStack-TablesVehicles…/);
  });
});
