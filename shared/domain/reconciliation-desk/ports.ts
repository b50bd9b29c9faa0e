/**
 * What the reconciliation use cases (runs, review, approval, settlement, advances) need from the world; the
 * DynamoDB adapter implements the store, the trip-order and journey repositories the sources.
 */
import type { RouteContract } from '../contracts/schemas.js';
import type { Advance, DailyStatement, DayTotals, LineResolution, ReconciliationJourney, ReconciliationOrder, StatementDiff } from '../reconciliation/types.js';

/** Who did a step of a reconciliation, as recorded. */
export interface RecordedActor {
  role: 'centre' | 'operator' | 'system';
  id: string;
}

/** `open`: the current version may be resolved and approved; `approved`: a payment record stands until reopened. */
type ReconciliationStatus = 'open' | 'approved';

/** The pointer to the visible version of an operator-day, with what a list shows of it. */
export interface ReconciliationHead {
  serviceDay: string;
  operatorId: string;
  version: number;
  inputHash: string;
  status: ReconciliationStatus;
  /** Payment records written so far (a reopened day keeps its earlier ones). */
  approvals: number;
  totals: DayTotals;
  /** Needs-review lines of the current version not yet resolved. */
  openReviewLines: number;
  updatedAt: string;
  /** The last reopening, when the day was reopened after an approval. */
  reopened?: { at: string; by: RecordedActor; reason: string };
}

/** One version of an operator-day's statement: the run's result and what changed since the version before. */
export interface StatementVersion {
  serviceDay: string;
  operatorId: string;
  version: number;
  inputHash: string;
  createdAt: string;
  createdBy: RecordedActor;
  statement: DailyStatement;
  /** From the version before (absent on version 1). */
  diff?: StatementDiff;
}

/** The immutable payment record of an approval (thanh toán): what was approved, by whom and when. */
export interface PaymentRecord {
  serviceDay: string;
  operatorId: string;
  /** 1 for the first approval of the day, 2 after a reopen and a new approval, ... */
  sequence: number;
  version: number;
  inputHash: string;
  approvedBy: RecordedActor;
  approvedAt: string;
  /** The resolutions the approved figures rest on. */
  resolutions: LineResolution[];
  totals: DayTotals;
  subsidyPayableVnd: number;
}

export type ReconciliationAuditAction = 'run' | 'run-unchanged' | 'resolve' | 'approve' | 'reopen';

/** One step of an operator-day's reconciliation, as the audit trail keeps it. */
export interface ReconciliationAuditEvent {
  id: string;
  at: string;
  actor: RecordedActor;
  action: ReconciliationAuditAction;
  version?: number;
  inputHash?: string;
  lineId?: string;
  reason?: string;
  detail?: Record<string, string | number | boolean>;
}

/** An advance as stored: with its id and who recorded it when. */
export interface StoredAdvance extends Advance {
  id: string;
  recordedAt: string;
  recordedBy: RecordedActor;
}

export interface ReconciliationFilter {
  serviceDay?: string;
  operatorId?: string;
  /** With `operatorId` and no `serviceDay`: days from/to (inclusive). */
  fromDay?: string;
  toDay?: string;
}

export interface ReconciliationPage {
  items: ReconciliationHead[];
  lastKey?: Record<string, unknown>;
}

/** The expected state of the pointer a write rests on: the write fails with a Conflict if it moved. */
export interface ExpectedHead {
  /** 0: no version yet. */
  version: number;
  status?: ReconciliationStatus;
  approvals?: number;
}

export interface ReconciliationStore {
  head(serviceDay: string, operatorId: string): Promise<ReconciliationHead | undefined>;
  version(serviceDay: string, operatorId: string, version: number): Promise<StatementVersion | undefined>;
  /**
   * Stores `next` and then moves the pointer to it with `head`, if the pointer is still `expected`: a version is
   * visible only once complete, and two runs from one pointer make one version (the other gets a Conflict).
   */
  addVersion(next: StatementVersion, head: ReconciliationHead, expected: ExpectedHead, audit: ReconciliationAuditEvent): Promise<void>;
  resolutions(serviceDay: string, operatorId: string): Promise<LineResolution[]>;
  /** Stores a resolution (replacing the line's earlier one) while the pointer is `expected`. */
  putResolution(
    serviceDay: string,
    operatorId: string,
    resolution: LineResolution,
    head: ReconciliationHead,
    expected: ExpectedHead,
    audit: ReconciliationAuditEvent,
  ): Promise<void>;
  /** Writes the payment record (once: never replaced) and marks the pointer approved, if it is still `expected`. */
  approve(record: PaymentRecord, head: ReconciliationHead, expected: ExpectedHead, audit: ReconciliationAuditEvent): Promise<void>;
  /** Moves the pointer (reopen), if it is still `expected`. */
  moveHead(head: ReconciliationHead, expected: ExpectedHead, audit: ReconciliationAuditEvent): Promise<void>;
  approvals(serviceDay: string, operatorId: string): Promise<PaymentRecord[]>;
  auditTrail(serviceDay: string, operatorId: string): Promise<ReconciliationAuditEvent[]>;
  /** Records an audit event on its own (a run that found nothing new). */
  recordAudit(serviceDay: string, operatorId: string, audit: ReconciliationAuditEvent): Promise<void>;
  list(filter: ReconciliationFilter, limit: number, after?: Record<string, unknown>): Promise<ReconciliationPage>;
  putAdvance(advance: StoredAdvance): Promise<void>;
  advances(operatorId: string, month: string): Promise<StoredAdvance[]>;
}

/** What a daily run reads: the day's orders, trips performed and the contracts. */
export interface ReconciliationSources {
  /** The trip orders of the day (of one operator, or of all), with the actions of their history. */
  orders(serviceDay: string, operatorId?: string): Promise<(ReconciliationOrder & { history?: readonly { action: string }[] })[]>;
  /** The trips performed on the day (of one operator, or of all). */
  journeys(serviceDay: string, operatorId?: string): Promise<ReconciliationJourney[]>;
  contracts(): Promise<RouteContract[]>;
}
