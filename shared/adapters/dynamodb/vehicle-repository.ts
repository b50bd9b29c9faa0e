/** The `vehicles` table: the bus registry and each bus's latest state, behind the VehicleStateStore port. */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../catalogue/index.js';
import type { VehicleAdvance, VehicleStateStore } from '../../domain/telemetry/ports.js';
import { forEachLimit } from '../../kernel/util/concurrency.js';
import type { VehicleState } from '../../domain/vehicles/vehicle-state.js';
import { batchGet } from './batch.js';

export interface BusRegistration {
  busId: string;
  operatorId: string;
  plate: string;
  registeredAt: string;
}

/** Attributes that make up the state; credentials and other registry-only data are never read with it. */
const STATE_PROJECTION = 'busId, version, operatorId, plate, #position, #duty, #clock';
const STATE_NAMES = { '#position': 'position', '#duty': 'duty', '#clock': 'clock' };

export class VersionConflict extends Error {
  override name = 'VersionConflict';
}

export class DynamoVehicleRepository implements VehicleStateStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly concurrency = 32,
  ) {}

  async getMany(busIds: readonly string[]): Promise<Map<string, VehicleState>> {
    const items = await batchGet(this.doc, this.table, busIds.map(keys.vehicle), { projection: STATE_PROJECTION, names: STATE_NAMES });
    return new Map(items.map((item) => [item.busId as string, toState(item)]));
  }

  async get(busId: string): Promise<VehicleState | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: keys.vehicle(busId), ProjectionExpression: STATE_PROJECTION, ExpressionAttributeNames: STATE_NAMES }),
    );
    return out.Item ? toState(out.Item) : undefined;
  }

  /**
   * Advances each vehicle with one conditional UpdateItem (`version = :expected`), many in flight. A bus whose
   * version moved since it was read is reported as a VersionConflict; the others are unaffected.
   */
  async advance(advances: readonly VehicleAdvance[]): Promise<Map<string, Error>> {
    const failures = new Map<string, Error>();
    const now = new Date().toISOString();
    await forEachLimit(advances, this.concurrency, async (a) => {
      try {
        await this.doc.send(new UpdateCommand(this.updateOf(a, now)));
      } catch (err) {
        failures.set(
          a.busId,
          err instanceof ConditionalCheckFailedException
            ? new VersionConflict(`vehicle ${a.busId} changed since version ${a.expectedVersion} was read`)
            : (err as Error),
        );
      }
    });
    return failures;
  }

  private updateOf(a: VehicleAdvance, now: string) {
    const sets = ['version = :next', 'updatedAt = :now'];
    const values: Record<string, unknown> = { ':next': a.expectedVersion + 1, ':now': now, ':expected': a.expectedVersion };
    const names: Record<string, string> = {};
    if (a.position) {
      sets.push('#position = :position');
      names['#position'] = 'position';
      values[':position'] = a.position;
    }
    if (a.duty) {
      sets.push('#duty = :duty');
      names['#duty'] = 'duty';
      values[':duty'] = a.duty;
    }
    if (a.clock) {
      sets.push('#clock = :clock');
      names['#clock'] = 'clock';
      values[':clock'] = a.clock;
    }
    return {
      TableName: this.table,
      Key: keys.vehicle(a.busId),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: a.expectedVersion === 0 ? 'attribute_not_exists(version) OR version = :expected' : 'version = :expected',
      ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
      ExpressionAttributeValues: values,
    };
  }

  /** Adds or updates a bus in the registry, leaving its state untouched. */
  async register(reg: Omit<BusRegistration, 'registeredAt'>, credentialSha256?: string): Promise<BusRegistration> {
    const registeredAt = new Date().toISOString();
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.vehicle(reg.busId),
        UpdateExpression: `SET operatorId = :op, plate = :plate, plateKey = :plateKey, registeredAt = if_not_exists(registeredAt, :at)${credentialSha256 ? ', localCredentialSha256 = :cred' : ''}`,
        ExpressionAttributeValues: {
          ':op': reg.operatorId,
          ':plate': reg.plate,
          ':plateKey': keys.plateKey(reg.plate),
          ':at': registeredAt,
          ...(credentialSha256 ? { ':cred': credentialSha256 } : {}),
        },
      }),
    );
    return { ...reg, registeredAt };
  }

  /** The buses registered with this plate (written however: `51B-123.45`, `51b12345`); normally one. */
  async busesOfPlate(plate: string): Promise<string[]> {
    const key = keys.plateKey(plate);
    if (!key) return [];
    const out = await this.doc.send(
      new QueryCommand({ TableName: this.table, IndexName: 'byPlate', KeyConditionExpression: 'plateKey = :k', ExpressionAttributeValues: { ':k': key } }),
    );
    return (out.Items ?? []).map((i) => i.busId as string).sort();
  }

  /** The registry entry and local MQTT credential hash of a bus (local broker authentication). */
  async getRegistration(busId: string): Promise<(BusRegistration & { localCredentialSha256?: string }) | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.vehicle(busId) }));
    const item = out.Item;
    if (!item || typeof item.operatorId !== 'string') return undefined;
    return {
      busId,
      operatorId: item.operatorId,
      plate: String(item.plate),
      registeredAt: String(item.registeredAt),
      ...(typeof item.localCredentialSha256 === 'string' ? { localCredentialSha256: item.localCredentialSha256 } : {}),
    };
  }
}

function toState(item: Record<string, unknown>): VehicleState {
  return {
    busId: item.busId as string,
    version: typeof item.version === 'number' ? item.version : 0,
    ...(typeof item.operatorId === 'string' ? { operatorId: item.operatorId } : {}),
    ...(typeof item.plate === 'string' ? { plate: item.plate } : {}),
    ...(item.position ? { position: item.position as VehicleState['position'] } : {}),
    ...(item.duty ? { duty: item.duty as VehicleState['duty'] } : {}),
    ...(item.clock ? { clock: item.clock as VehicleState['clock'] } : {}),
  };
}
