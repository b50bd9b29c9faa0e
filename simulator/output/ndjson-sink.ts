/** NDJSON files (gzip when the name ends in .gz): one message or truth record per line, streamed. */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { createGzip, type Gzip } from 'node:zlib';
import { telemetryTopic } from '../../shared/catalogue/index.js';
import type { OutboundMessage, TruthRecord } from '../core/events.js';
import { payloadOf, type MessageSink, type SinkReport, type TruthSink } from './sink.js';

class LineWriter {
  private readonly file: WriteStream;
  private readonly out: WriteStream | Gzip;

  constructor(path: string) {
    this.file = createWriteStream(path);
    if (path.endsWith('.gz')) {
      const gzip = createGzip({ level: 6 });
      gzip.pipe(this.file);
      this.out = gzip;
    } else this.out = this.file;
  }

  async write(lines: string): Promise<void> {
    if (!this.out.write(lines)) await once(this.out, 'drain');
  }

  async close(): Promise<void> {
    const finished = once(this.file, 'close');
    this.out.end();
    await finished;
  }
}

/** Messages as `{"topic":…,"sendAtMs":…,"payload":…}` lines, payload being the exact MQTT payload text. */
export class NdjsonMessageSink implements MessageSink {
  private readonly writer: LineWriter;
  private count = 0;

  constructor(path: string) {
    this.writer = new LineWriter(path);
  }

  async write(messages: readonly OutboundMessage[]): Promise<void> {
    let text = '';
    for (const m of messages) text += `${JSON.stringify({ topic: telemetryTopic(m.busId, m.kind), sendAtMs: m.sendAtMs, payload: payloadOf(m) })}\n`;
    this.count += messages.length;
    if (text) await this.writer.write(text);
  }

  async close(): Promise<SinkReport> {
    await this.writer.close();
    return { delivered: this.count, failed: 0, failures: {} };
  }
}

export class NdjsonTruthSink implements TruthSink {
  private readonly writer: LineWriter;

  constructor(path: string) {
    this.writer = new LineWriter(path);
  }

  async write(records: readonly TruthRecord[]): Promise<void> {
    let text = '';
    for (const r of records) text += `${JSON.stringify(r)}\n`;
    if (text) await this.writer.write(text);
  }

  close(): Promise<void> {
    return this.writer.close();
  }
}
