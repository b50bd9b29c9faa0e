/** Where the simulated day goes: counted, written to a file, or published over MQTT. */
import type { OutboundMessage, TruthRecord } from '../core/events.js';

export interface MessageSink {
  /** Takes one window's messages, in send order; resolves when the sink can take more (back-pressure). */
  write(messages: readonly OutboundMessage[]): Promise<void>;
  close(): Promise<SinkReport>;
}

export interface SinkReport {
  delivered: number;
  failed: number;
  /** Why messages could not be delivered, with counts. */
  failures: Record<string, number>;
}

export interface TruthSink {
  write(records: readonly TruthRecord[]): Promise<void>;
  close(): Promise<void>;
}

/** The MQTT payload of a message: its JSON body, or the malformed text a fault put there. */
export function payloadOf(m: OutboundMessage): string {
  return typeof m.body === 'string' ? m.body : JSON.stringify(m.body);
}

/** Counts messages and bytes without keeping them (benchmarks). */
export class CountingSink implements MessageSink {
  messages = 0;
  bytes = 0;
  gpsRecords = 0;
  byKind: Record<string, number> = {};

  async write(messages: readonly OutboundMessage[]): Promise<void> {
    for (const m of messages) {
      const payload = payloadOf(m);
      this.messages++;
      this.bytes += Buffer.byteLength(payload);
      this.byKind[m.kind] = (this.byKind[m.kind] ?? 0) + 1;
      if (m.kind === 'gps' && typeof m.body !== 'string' && Array.isArray(m.body.records)) this.gpsRecords += m.body.records.length;
    }
  }

  async close(): Promise<SinkReport> {
    return { delivered: this.messages, failed: 0, failures: {} };
  }
}
