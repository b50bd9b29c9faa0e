/**
 * The reconciliation desk: the use cases behind the API and the daily schedule. A run reads an operator-day's
 * inputs, asks the pure domain for the statement, and stores version n+1 only when the input hash differs from
 * version n (with the diff from it); the centre resolves needs-review lines, approves (an immutable payment
 * record; the day's closed trip orders become `reconciled`) and may reopen with a reason; the monthly settlement
 * sums approved days minus advances. Every step is an audit event.
 */
import { randomUUID } from 'node:crypto';
import { assertCallerOwns, scopedToCaller } from '../access/operator-scope.js';
import { Conflict, Forbidden, NotFound, ValidationError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import { diffStatements } from '../reconciliation/diff.js';
import { inputHash } from '../reconciliation/input-hash.js';
import { applyResolutions } from '../reconciliation/review.js';
import { settleMonth } from '../reconciliation/settlement.js';
import { reconcileDay } from '../reconciliation/statement.js';
import type { DailyStatement, LineResolution, MonthlySettlement, ReconciliationInput, SettlementDay, StatementDiff } from '../reconciliation/types.js';
import { markReconciled, type Actor } from '../trip-orders/lifecycle.js';
import { changeTripOrder } from '../trip-orders/order-change.js';
import type { TripOrderStore } from '../trip-orders/ports.js';
import type {
  ExpectedHead,
  PaymentRecord,
  ReconciliationAuditAction,
  ReconciliationAuditEvent,
  ReconciliationFilter,
  ReconciliationHead,
  ReconciliationPage,
  ReconciliationSources,
  ReconciliationStore,
  RecordedActor,
  StatementVersion,
  StoredAdvance,
} from './ports.js';

/** The pure domain's functions the desk calls (replaceable in tests). */
export interface ReconciliationEngine {
  reconcileDay: typeof reconcileDay;
  inputHash: typeof inputHash;
  applyResolutions: typeof applyResolutions;
  diffStatements: typeof diffStatements;
  settleMonth: typeof settleMonth;
}

const reconciliationEngine: ReconciliationEngine = { reconcileDay, inputHash, applyResolutions, diffStatements, settleMonth };

export interface ReconciliationDeskDeps {
  store: ReconciliationStore;
  sources: ReconciliationSources;
  /** The trip orders, moved to `reconciled` when their day is approved. */
  orders: TripOrderStore;
  clock: Clock;
  logger: Logger;
  engine?: ReconciliationEngine;
  newId?: () => string;
}

/** What a run did for one operator-day. */
export interface RunOutcome {
  serviceDay: string;
  operatorId: string;
  /** `created`: a new version; `unchanged`: the inputs are those of the current version; `approved`: the inputs changed but the day is approved (reopen first). */
  outcome: 'created' | 'unchanged' | 'approved';
  version: number;
  inputHash: string;
  status: ReconciliationHead['status'];
}

/** One version as the API shows it: the statement with the resolutions applied (for the current version). */
export interface VersionView {
  head: ReconciliationHead;
  version: StatementVersion;
  resolutions: LineResolution[];
  approvals: PaymentRecord[];
  audit: ReconciliationAuditEvent[];
}

export interface AdvanceInput {
  operatorId: string;
  month: string;
  amountVnd: number;
  paidOn?: string;
  reference?: string;
}

/** The system actor of scheduled runs and of the trip orders' step to `reconciled`. */
const RECONCILIATION_ACTOR: Actor = { role: 'system', id: 'reconciliation' };
const ORDER_PAGE = 100;

export class ReconciliationDesk {
  private readonly engine: ReconciliationEngine;

  constructor(private readonly d: ReconciliationDeskDeps) {
    this.engine = d.engine ?? reconciliationEngine;
  }

  /** Runs a day for one operator or for every operator with orders or trips performed that day (centre or system). */
  async run(serviceDay: string, operatorId: string | undefined, actor: Actor): Promise<RunOutcome[]> {
    assertCentreOrSystem(actor, 'run a reconciliation');
    const contracts = await this.d.sources.contracts();
    const [orders, journeys] = await Promise.all([this.d.sources.orders(serviceDay, operatorId), this.d.sources.journeys(serviceDay, operatorId)]);
    const operators = operatorId ? [operatorId] : [...new Set([...orders.map((o) => o.operatorId), ...journeys.map((j) => j.operatorId)])].sort();
    const outcomes: RunOutcome[] = [];
    for (const op of operators) {
      const input: ReconciliationInput = {
        serviceDay,
        operatorId: op,
        orders: orders.filter((o) => o.operatorId === op).map(forHash),
        journeys: journeys.filter((j) => j.operatorId === op),
        contracts,
      };
      outcomes.push(await this.runOne(input, actor));
    }
    this.d.logger.info('reconciliation run', { serviceDay, operators: operators.length, created: outcomes.filter((o) => o.outcome === 'created').length });
    return outcomes;
  }

  private async runOne(input: ReconciliationInput, actor: Actor): Promise<RunOutcome> {
    const { serviceDay, operatorId } = input;
    const hash = this.engine.inputHash(input);
    const head = await this.d.store.head(serviceDay, operatorId);
    const outcome = (o: RunOutcome['outcome'], h: ReconciliationHead): RunOutcome => ({
      serviceDay,
      operatorId,
      outcome: o,
      version: h.version,
      inputHash: h.inputHash,
      status: h.status,
    });
    if (head && head.inputHash === hash) {
      await this.d.store.recordAudit(serviceDay, operatorId, this.audit('run-unchanged', actor, { version: head.version, inputHash: hash }));
      return outcome('unchanged', head);
    }
    if (head?.status === 'approved') return outcome('approved', head);

    const statement = this.engine.reconcileDay(input);
    const previous = head ? await this.d.store.version(serviceDay, operatorId, head.version) : undefined;
    const diff = previous ? this.engine.diffStatements(previous.statement, statement) : undefined;
    const now = this.now();
    const n = (head?.version ?? 0) + 1;
    const version: StatementVersion = {
      serviceDay,
      operatorId,
      version: n,
      inputHash: hash,
      createdAt: now,
      createdBy: recorded(actor),
      statement,
      ...(diff ? { diff } : {}),
    };
    const resolutions = await this.d.store.resolutions(serviceDay, operatorId);
    const next = this.headOf(version, resolutions, { status: 'open', approvals: head?.approvals ?? 0, ...(head?.reopened ? { reopened: head.reopened } : {}) });
    try {
      await this.d.store.addVersion(
        version,
        next,
        expectOf(head),
        this.audit('run', actor, { version: n, inputHash: hash, ...(diff ? { detail: diffDetail(diff) } : {}) }),
      );
    } catch (err) {
      if (!(err instanceof Conflict)) throw err;
      // Another run moved the pointer meanwhile: if it stored these very inputs, this run's work is done.
      const now2 = await this.d.store.head(serviceDay, operatorId);
      if (now2?.inputHash === hash) return outcome('unchanged', now2);
      throw err;
    }
    return outcome('created', next);
  }

  /** A version (default: the current one) with its resolutions, payment records and audit trail. */
  async get(serviceDay: string, operatorId: string, actor: Actor, version?: number): Promise<VersionView> {
    assertCallerOwns(actor, operatorId, `the reconciliation of ${operatorId}`);
    const head = await this.head(serviceDay, operatorId);
    const n = version ?? head.version;
    const stored = await this.d.store.version(serviceDay, operatorId, n);
    if (!stored) throw new NotFound('statement version', `${serviceDay}/${operatorId}/${n}`);
    const [resolutions, approvals, audit] = await Promise.all([
      this.d.store.resolutions(serviceDay, operatorId),
      this.d.store.approvals(serviceDay, operatorId),
      this.d.store.auditTrail(serviceDay, operatorId),
    ]);
    // The current version is shown as the centre sees it now; an older one as it was run.
    const statement = n === head.version && resolutions.length ? await this.resolved(stored.statement, resolutions) : stored.statement;
    return { head, version: { ...stored, statement }, resolutions, approvals, audit };
  }

  /** What changed from version `from` to version `to` of an operator-day. */
  async diff(serviceDay: string, operatorId: string, from: number, to: number, actor: Actor): Promise<StatementDiff> {
    assertCallerOwns(actor, operatorId, `the reconciliation of ${operatorId}`);
    const [a, b] = await Promise.all([this.d.store.version(serviceDay, operatorId, from), this.d.store.version(serviceDay, operatorId, to)]);
    if (!a) throw new NotFound('statement version', `${serviceDay}/${operatorId}/${from}`);
    if (!b) throw new NotFound('statement version', `${serviceDay}/${operatorId}/${to}`);
    return b.diff && b.version === a.version + 1 ? b.diff : this.engine.diffStatements(a.statement, b.statement);
  }

  /** The centre's decision on a needs-review line of the current version. */
  async resolve(
    serviceDay: string,
    operatorId: string,
    resolution: Pick<LineResolution, 'lineId' | 'decision' | 'reason'>,
    actor: Actor,
  ): Promise<VersionView> {
    assertCentre(actor, 'resolve a statement line');
    const head = await this.head(serviceDay, operatorId);
    if (head.status === 'approved') throw new Conflict(`the reconciliation of ${operatorId} on ${serviceDay} is approved: reopen it first`, 'approved');
    const current = await this.currentVersion(head);
    const line = current.statement.lines.find((l) => l.lineId === resolution.lineId);
    if (!line) throw new ValidationError('lineId', `no line ${resolution.lineId} in version ${head.version}`);
    if (line.class !== 'needs-review') throw new ValidationError('lineId', `line ${resolution.lineId} is ${line.class}, not needs-review`);
    const now = this.now();
    const stored: LineResolution = { ...resolution, resolvedBy: actor.id, resolvedAt: now };
    const resolutions = [...(await this.d.store.resolutions(serviceDay, operatorId)).filter((r) => r.lineId !== resolution.lineId), stored];
    const next = this.headOf(current, resolutions, { ...head });
    await this.d.store.putResolution(
      serviceDay,
      operatorId,
      stored,
      next,
      expectOf(head),
      this.audit('resolve', actor, { version: head.version, lineId: resolution.lineId, reason: resolution.reason, detail: { decision: resolution.decision } }),
    );
    return this.get(serviceDay, operatorId, actor);
  }

  /**
   * Approves the current version: refused while a needs-review line is open; writes the immutable payment record
   * and moves the day's closed trip orders to `reconciled`.
   */
  async approve(serviceDay: string, operatorId: string, actor: Actor, expectedVersion?: number): Promise<PaymentRecord> {
    assertCentre(actor, 'approve a statement');
    const head = await this.head(serviceDay, operatorId);
    if (head.status === 'approved') {
      // An approval that stopped after its payment record was written still owes the orders' step: a retry finishes it.
      const last = (await this.d.store.approvals(serviceDay, operatorId)).at(-1);
      if (last) await this.markOrdersReconciled(serviceDay, operatorId, last);
      throw new Conflict(`the reconciliation of ${operatorId} on ${serviceDay} is already approved (payment record ${head.approvals})`, 'approved');
    }
    if (expectedVersion !== undefined && expectedVersion !== head.version)
      throw new Conflict(`version ${expectedVersion} is no longer current: version ${head.version} is`, 'stale-version');
    const current = await this.currentVersion(head);
    const resolutions = await this.d.store.resolutions(serviceDay, operatorId);
    const statement = await this.resolved(current.statement, resolutions);
    if (statement.openReviewLineIds.length) {
      throw new Conflict(
        `${statement.openReviewLineIds.length} line(s) still need review: ${statement.openReviewLineIds.slice(0, 5).join(', ')}`,
        'open-review-lines',
      );
    }
    const now = this.now();
    const record: PaymentRecord = {
      serviceDay,
      operatorId,
      sequence: head.approvals + 1,
      version: head.version,
      inputHash: head.inputHash,
      approvedBy: recorded(actor),
      approvedAt: now,
      resolutions: resolutions.filter((r) => statement.lines.some((l) => l.resolution?.lineId === r.lineId)),
      totals: statement.totals,
      subsidyPayableVnd: statement.totals.subsidyPayableVnd,
    };
    const next: ReconciliationHead = { ...head, status: 'approved', approvals: record.sequence, totals: statement.totals, openReviewLines: 0, updatedAt: now };
    await this.d.store.approve(
      record,
      next,
      expectOf(head),
      this.audit('approve', actor, {
        version: head.version,
        inputHash: head.inputHash,
        detail: { subsidyPayableVnd: record.subsidyPayableVnd, sequence: record.sequence },
      }),
    );
    await this.markOrdersReconciled(serviceDay, operatorId, record);
    return record;
  }

  /** Reopens an approved day, with a reason: its payment records stay; a new run may then make a new version. */
  async reopen(serviceDay: string, operatorId: string, reason: string, actor: Actor): Promise<ReconciliationHead> {
    assertCentre(actor, 'reopen a reconciliation');
    const head = await this.head(serviceDay, operatorId);
    if (head.status !== 'approved')
      throw new Conflict(`the reconciliation of ${operatorId} on ${serviceDay} is not approved: nothing to reopen`, 'not-approved');
    const now = this.now();
    const next: ReconciliationHead = { ...head, status: 'open', updatedAt: now, reopened: { at: now, by: recorded(actor), reason } };
    await this.d.store.moveHead(next, expectOf(head), this.audit('reopen', actor, { version: head.version, reason }));
    return next;
  }

  /** Operator-days by day or by operator (an operator's own only). */
  list(filter: ReconciliationFilter, actor: Actor, limit: number, after?: Record<string, unknown>): Promise<ReconciliationPage> {
    const scoped = scopedToCaller(actor, filter, 'reconciliations');
    if (!scoped.serviceDay && !scoped.operatorId) throw new ValidationError('serviceDay', 'a service day or an operator is required');
    return this.d.store.list(scoped, limit, after);
  }

  /** Records an advance (tạm ứng) paid to an operator for a month (centre). */
  async recordAdvance(input: AdvanceInput, actor: Actor): Promise<StoredAdvance> {
    assertCentre(actor, 'record an advance');
    const advance: StoredAdvance = { ...input, id: this.newId(), recordedAt: this.now(), recordedBy: recorded(actor) };
    await this.d.store.putAdvance(advance);
    return advance;
  }

  async advances(operatorId: string, month: string, actor: Actor): Promise<StoredAdvance[]> {
    assertCallerOwns(actor, operatorId, `the advances of ${operatorId}`);
    return this.d.store.advances(operatorId, month);
  }

  /** The operator's monthly settlement: approved days (as approved), outstanding days, advances, the balance. */
  async settlement(operatorId: string, month: string, actor: Actor): Promise<MonthlySettlement> {
    assertCallerOwns(actor, operatorId, `the settlement of ${operatorId}`);
    const [heads, advances, contracts] = await Promise.all([
      this.allHeads(operatorId, month),
      this.d.store.advances(operatorId, month),
      this.d.sources.contracts(),
    ]);
    const days: SettlementDay[] = [];
    for (const head of heads) {
      if (head.status !== 'approved') {
        days.push({ serviceDay: head.serviceDay, approved: false });
        continue;
      }
      const records = await this.d.store.approvals(head.serviceDay, operatorId);
      const record = records.at(-1);
      const stored = record ? await this.d.store.version(head.serviceDay, operatorId, record.version) : undefined;
      if (!record || !stored) {
        days.push({ serviceDay: head.serviceDay, approved: false });
        continue;
      }
      const statement = record.resolutions.length ? this.engine.applyResolutions(stored.statement, record.resolutions, contracts) : stored.statement;
      days.push({ serviceDay: head.serviceDay, statement, approved: true });
    }
    // Excess wait time is measured on the stop visits of the approved days: read them only when a route has that term.
    const needsVisits = contracts.some((c) => c.operatorId === operatorId && c.performanceTerms?.excessWaitTime);
    const approvedDays = days.filter((d) => d.approved).map((d) => d.serviceDay);
    const journeys = needsVisits ? (await Promise.all(approvedDays.map((day) => this.d.sources.journeys(day, operatorId)))).flat() : [];
    return this.engine.settleMonth({
      operatorId,
      month,
      days,
      advances: advances.map(({ id: _i, recordedAt: _r, recordedBy: _b, ...a }) => a),
      contracts,
      ...(needsVisits ? { journeys } : {}),
    });
  }

  private async allHeads(operatorId: string, month: string): Promise<ReconciliationHead[]> {
    const out: ReconciliationHead[] = [];
    let after: Record<string, unknown> | undefined;
    do {
      const page = await this.d.store.list({ operatorId, fromDay: `${month}-01`, toDay: `${month}-31` }, 100, after);
      out.push(...page.items);
      after = page.lastKey;
    } while (after);
    return out;
  }

  private async markOrdersReconciled(serviceDay: string, operatorId: string, record: PaymentRecord): Promise<void> {
    let moved = 0;
    for (const status of ['closed', 'reconciled'] as const) {
      let after: Record<string, unknown> | undefined;
      do {
        const page = await this.d.orders.list({ serviceDay, operatorId, status }, ORDER_PAGE, after);
        for (const order of page.items) {
          try {
            await changeTripOrder(this.d, order.id, RECONCILIATION_ACTOR, (o, now) =>
              markReconciled(o, now, {
                actor: RECONCILIATION_ACTOR,
                reason: `reconciliation approved (version ${record.version}, payment record ${record.sequence})`,
              }),
            );
            moved++;
          } catch (err) {
            if (!(err instanceof Conflict)) throw err; // changed meanwhile: the other writer's step stands
          }
        }
        after = page.lastKey;
      } while (after);
    }
    this.d.logger.info('trip orders reconciled', { serviceDay, operatorId, moved });
  }

  private async head(serviceDay: string, operatorId: string): Promise<ReconciliationHead> {
    const head = await this.d.store.head(serviceDay, operatorId);
    if (!head) throw new NotFound('reconciliation', `${serviceDay}/${operatorId}`);
    return head;
  }

  private async currentVersion(head: ReconciliationHead): Promise<StatementVersion> {
    const v = await this.d.store.version(head.serviceDay, head.operatorId, head.version);
    if (!v) throw new Error(`version ${head.version} of ${head.serviceDay}/${head.operatorId} is missing`);
    return v;
  }

  private async resolved(statement: DailyStatement, resolutions: readonly LineResolution[]): Promise<DailyStatement> {
    return resolutions.length ? this.engine.applyResolutions(statement, resolutions, await this.d.sources.contracts()) : statement;
  }

  private headOf(
    version: StatementVersion,
    resolutions: readonly LineResolution[],
    rest: Pick<ReconciliationHead, 'status' | 'approvals' | 'reopened'>,
  ): ReconciliationHead {
    const resolved = new Set(resolutions.map((r) => r.lineId));
    return {
      serviceDay: version.serviceDay,
      operatorId: version.operatorId,
      version: version.version,
      inputHash: version.inputHash,
      totals: version.statement.totals,
      openReviewLines: version.statement.openReviewLineIds.filter((id) => !resolved.has(id)).length,
      updatedAt: this.now(),
      status: rest.status,
      approvals: rest.approvals,
      ...(rest.reopened ? { reopened: rest.reopened } : {}),
    };
  }

  private audit(
    action: ReconciliationAuditAction,
    actor: Actor,
    extra: Omit<ReconciliationAuditEvent, 'id' | 'at' | 'actor' | 'action'> = {},
  ): ReconciliationAuditEvent {
    return { id: this.newId(), at: this.now(), actor: recorded(actor), action, ...extra };
  }

  private now(): string {
    return new Date(this.d.clock.now()).toISOString();
  }

  private newId(): string {
    return this.d.newId?.() ?? randomUUID();
  }
}

function recorded(actor: Actor): RecordedActor {
  return { role: actor.role, id: actor.id };
}

function expectOf(head: ReconciliationHead | undefined): ExpectedHead {
  return head ? { version: head.version, status: head.status, approvals: head.approvals } : { version: 0 };
}

function assertCentre(actor: Actor, what: string): void {
  if (actor.role !== 'centre') throw new Forbidden(`only the centre may ${what}`);
}

function assertCentreOrSystem(actor: Actor, what: string): void {
  if (actor.role === 'operator') throw new Forbidden(`only the centre may ${what}`);
}

/**
 * An order as the input hash sees it: its own step to `reconciled` (status and revision) is not a change of the
 * inputs, so a reopened day re-run on the same data keeps its hash.
 */
function forHash<T extends { status: string; revision: number; history?: readonly { action: string }[] }>(order: T): T {
  const steps = order.history?.filter((h) => h.action === 'markReconciled').length ?? 0;
  const { history: _h, ...rest } = order;
  return { ...rest, status: order.status === 'reconciled' ? 'closed' : order.status, revision: order.revision - steps } as T;
}

function diffDetail(diff: StatementDiff): Record<string, number> {
  return { added: diff.added.length, removed: diff.removed.length, changed: diff.changed.length };
}
