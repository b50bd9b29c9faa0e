/**
 * The stops that have a board to tell: one item of the `vehicles` table (`keys.boardRegistry`) holding their ids
 * as a string set, added to when a board is registered (locally `npm run board:add`, on AWS `npm run
 * board:provision`). The ingest path reads it at most once a minute per function instance: publishing the next
 * arrivals of a stop nobody shows would cost an IoT message for nothing.
 */
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../catalogue/index.js';

/** How long the ingest path trusts the registry it read (stack clock): a board registered is told within it. */
const REGISTRY_REFRESH_MS = 60_000;

export class DynamoBoardRegistry {
  private read: { atMs: number; stopIds: Promise<Set<string>> } | undefined;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Records that the stop has a board. */
  async add(stopId: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.vehicle(keys.boardRegistry),
        UpdateExpression: 'ADD stopIds :stop',
        ExpressionAttributeValues: { ':stop': new Set([stopId]) },
      }),
    );
  }

  /** The stops with a board, as read at most `REGISTRY_REFRESH_MS` before `nowMs`. */
  async stopsWithBoards(nowMs: number): Promise<Set<string>> {
    if (!this.read || nowMs - this.read.atMs >= REGISTRY_REFRESH_MS || nowMs < this.read.atMs) {
      const stopIds = this.load();
      this.read = { atMs: nowMs, stopIds };
      // A failed read is tried again at the next batch.
      stopIds.catch(() => (this.read = undefined));
    }
    return this.read.stopIds;
  }

  private async load(): Promise<Set<string>> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.vehicle(keys.boardRegistry) }));
    const stopIds = out.Item?.stopIds;
    return stopIds instanceof Set ? new Set([...stopIds].map(String)) : new Set();
  }
}
