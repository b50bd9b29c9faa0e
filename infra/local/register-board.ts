/**
 * Registering a stop board locally: its MQTT identity (client id and username `board:{stopId}`) and secret,
 * kept in the device registry (the vehicles table) under a key no bus id can take. A board may only
 * subscribe to its own stop's arrivals, as the IoT policy for boards allows on AWS.
 */
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoBoardRegistry } from '../../shared/adapters/dynamodb/board-registry.js';
import { keys, stopIdSchema } from '../../shared/catalogue/index.js';
import { newDeviceSecret, secretDigest } from './device-credentials.js';

/** The MQTT client id and username of a stop's board. */
function boardClientId(stopId: string): string {
  return `board:${stopId}`;
}

/** The stop a board's client id names, or undefined when it is not a board's. */
export function stopOfBoard(clientId: string): string | undefined {
  if (!clientId.startsWith('board:')) return undefined;
  const stopId = clientId.slice('board:'.length);
  return stopIdSchema.safeParse(stopId).success ? stopId : undefined;
}

/** Registers (or re-registers, issuing a new secret) the board of a stop; returns its MQTT password. */
export async function registerBoard(doc: DynamoDBDocumentClient, vehiclesTable: string, stopId: string): Promise<{ clientId: string; secret: string }> {
  stopIdSchema.parse(stopId);
  const secret = newDeviceSecret();
  await doc.send(
    new UpdateCommand({
      TableName: vehiclesTable,
      Key: keys.vehicle(keys.boardDevice(stopId)),
      UpdateExpression: 'SET localCredentialSha256 = :cred, registeredAt = if_not_exists(registeredAt, :at)',
      ExpressionAttributeValues: { ':cred': secretDigest(secret), ':at': new Date().toISOString() },
    }),
  );
  // The ingest path tells only the stops listed there.
  await new DynamoBoardRegistry(doc, vehiclesTable).add(stopId);
  return { clientId: boardClientId(stopId), secret };
}

/** The SHA-256 of a board's local secret, or undefined for a stop without a registered board. */
export async function boardCredentialDigest(doc: DynamoDBDocumentClient, vehiclesTable: string, stopId: string): Promise<string | undefined> {
  const out = await doc.send(new GetCommand({ TableName: vehiclesTable, Key: keys.vehicle(keys.boardDevice(stopId)) }));
  const digest = out.Item?.localCredentialSha256;
  return typeof digest === 'string' ? digest : undefined;
}
