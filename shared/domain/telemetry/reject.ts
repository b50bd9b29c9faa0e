/** Why a message or a record was refused. Every reject carries one of these codes and a readable reason. */
export const REJECT_CODES = [
  'malformed-envelope',
  'malformed-json',
  'payload-too-large',
  'unknown-topic',
  'schema',
  'busid-mismatch',
  'implausible',
  'processing-failed',
] as const;
type RejectCode = (typeof REJECT_CODES)[number];

export interface Reject {
  code: RejectCode;
  reason: string;
  /** Path of the failing field, e.g. `records[3].lat`, when one field is to blame. */
  field?: string;
  busId?: string;
  topic?: string;
  /** Index of the record or tap inside its message, when only that element is refused. */
  recordIndex?: number;
  receivedAt: number;
  /** The raw payload as received (the handler truncates it for storage). */
  payload: Uint8Array;
}
