/**
 * The ingest function's core, independent of how it is deployed: Kinesis event in, partial batch response out.
 * The Lambda module (handler.ts) and the local router both call it.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { ingestBatch, type IngestDeps, type IngestStats, type StreamRecord } from '../../shared/domain/telemetry/ingest-batch.js';

export type IngestHandler = (event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse>;

function toStreamRecord(r: KinesisStreamRecord): StreamRecord {
  return {
    id: r.kinesis.sequenceNumber,
    partitionKey: r.kinesis.partitionKey,
    data: Buffer.from(r.kinesis.data, 'base64'),
    arrivalMs: Math.round(r.kinesis.approximateArrivalTimestamp * 1000),
  };
}

/**
 * Builds the handler. Storage work is coalesced over the whole batch (one read and a few batched writes per
 * batch, not per record); Powertools' BatchProcessor then reports each record's outcome as a partial batch
 * failure. The Kinesis event source checkpoints before the lowest failed sequence number and delivers that
 * record and every later one of the batch again, the stored ones included: ingestion is idempotent, so they
 * are stored once (the local router does the same).
 */
export function createIngestHandler(deps: () => Promise<IngestDeps>, onStats?: (stats: IngestStats) => void): IngestHandler {
  return async (event) => {
    const d = await deps();
    const { failures, stats } = await ingestBatch(event.Records.map(toStreamRecord), d);
    d.logger.debug('telemetry batch ingested', { ...stats });
    onStats?.(stats);
    const processor = new BatchProcessor(EventType.KinesisDataStreams);
    return processPartialResponse(
      event,
      async (record: KinesisStreamRecord) => {
        const failure = failures.get(record.kinesis.sequenceNumber);
        if (failure) throw failure;
      },
      processor,
      // A batch where every record failed is still answered with its failures: the event source retries them.
      { throwOnFullBatchFailure: false },
    );
  };
}
