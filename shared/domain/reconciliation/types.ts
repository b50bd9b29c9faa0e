/**
 * Subsidy reconciliation (nghiệm thu, ARCHITECTURE §9), the public shapes: what a daily run reads (orders,
 * trips performed, contract versions, the centre's resolutions), the statement it makes (lines with their
 * evidence, totals per route and per operator-day), the diff between two versions, and the monthly settlement
 * (thanh quyết toán) with advances (tạm ứng) and performance terms. Money is integer VND throughout.
 */
import type { RouteContract } from '../contracts/schemas.js';
import type { JourneyRecord } from '../journeys/journey-record.js';
import type { TripOrder } from '../trip-orders/schemas.js';

/** How money is rounded: half up to the whole VND, once per line (and once per discount), stated in the output. */
export const ROUNDING_RULE = 'half-up to whole VND, per line' as const;
type RoundingRule = typeof ROUNDING_RULE;

/** The fields of a trip order that reconciliation reads. */
export type ReconciliationOrder = Pick<
  TripOrder,
  'id' | 'orderNumber' | 'serviceDay' | 'operatorId' | 'routeId' | 'vehicle' | 'driver' | 'trips' | 'status' | 'revision' | 'confirmations'
>;

/** The fields of a stop visit that reconciliation reads: no fare transactions, evidence or dwell. */
export type ReconciliationVisit = Pick<
  JourneyRecord['visits'][number],
  'stopId' | 'stopSequence' | 'status' | 'arrivalMs' | 'departureMs' | 'scheduledArrivalMs' | 'scheduledDepartureMs' | 'revenueVnd'
>;

/**
 * The fields of a journey record (a trip performed with its stop visits) that reconciliation reads: what a run
 * classifies, matches and hashes (`reconciliationJourneyOf` takes them from a record).
 */
export type ReconciliationJourney = Pick<
  JourneyRecord,
  'serviceDay' | 'tripId' | 'busId' | 'operatorId' | 'routeId' | 'directionId' | 'tripOrderId' | 'classification' | 'plannedDepartureMs' | 'performed'
> & { visits: ReconciliationVisit[] };

/** The centre's decision on a needs-review line (or a reopened one): accept as completed or partial, or reject. */
export interface LineResolution {
  lineId: string;
  decision: 'completed' | 'partial' | 'rejected';
  reason: string;
  /** Who decided (the centre user's id) and when (ISO instant); recorded, not used in the figures. */
  resolvedBy?: string;
  resolvedAt?: string;
}

/** Everything a daily run reads: the same input gives the same statement and the same input hash. */
export interface ReconciliationInput {
  /** Service day, YYYY-MM-DD (Asia/Ho_Chi_Minh). */
  serviceDay: string;
  operatorId: string;
  /** The operator's trip orders of the day; drafts and cancelled orders plan nothing. */
  orders: readonly ReconciliationOrder[];
  /** The trips performed on the day by the operator's buses (journey records). */
  journeys: readonly ReconciliationJourney[];
  /** Every version of the routes' contracts; the one in force on the day is used (see `contractInForce`). */
  contracts: readonly RouteContract[];
  /** The centre's resolutions of needs-review lines, applied after classification. */
  resolutions?: readonly LineResolution[];
  /** IANA zone of the service day (time bands are local). Default Asia/Ho_Chi_Minh. */
  timezone?: string;
}

/** The class of a statement line. needs-review and unscheduled are not paid until resolved / ever. */
export type LineClass = 'completed' | 'late' | 'partial' | 'missed' | 'needs-review' | 'unscheduled';

/** The classes whose lines are paid (accepted). */
export const ACCEPTED_CLASSES = ['completed', 'late', 'partial'] as const satisfies readonly LineClass[];

/** A planned trip of an order (the key of its line is `${tripOrderId}#${sequence}`). */
export interface PlannedTripRef {
  tripOrderId: string;
  orderNumber: string;
  sequence: number;
  routeId: string;
  directionId?: 0 | 1;
  tripId?: string;
  busId: string;
  plate: string;
  driverId: string;
  plannedDepartureMs: number;
}

/** The trip performed a line rests on: the journey's key and who ran it. */
export interface PerformedTripRef {
  serviceDay: string;
  tripId: string;
  busId: string;
  routeId: string;
  directionId?: 0 | 1;
  tripOrderId?: string;
  startMs?: number;
  endMs?: number;
}

/** The stops of the trip's pattern as served. */
export interface StopEvidence {
  total: number;
  visited: number;
  /** Passed without stopping (TIDES Skipped): each is penalised on a paid line. */
  skipped: number;
  /** Data gaps between or before observed stops (TIDES Missing): neither visited nor penalised. */
  unobserved: number;
  /** Stops after the last observed one of a trip that ended early (a short turn): not reached, not penalised. */
  notReached: number;
  skippedStopIds: string[];
  unobservedStopIds: string[];
  notReachedStopIds: string[];
  /** visited / total, unrounded (0 when the pattern has no stops). */
  visitedShare: number;
}

/** A departure against the contract: within the tolerance, after it but within the late limit, or beyond the limit. */
export type DepartureClass = 'on-time' | 'late' | 'beyond-limit';

/** Where the actual departure was read. */
export type DepartureSource = 'first-stop' | 'later-stop' | 'terminal-confirmation';

/** Everything a line's class and amount rest on. */
export interface LineEvidence {
  performedTrip?: PerformedTripRef;
  plannedDepartureMs?: number;
  actualDepartureMs?: number;
  departureSource?: DepartureSource;
  /** Actual minus planned departure, whole seconds (late positive). */
  departureDelayS?: number;
  departureClass?: DepartureClass;
  stops?: StopEvidence;
  /** Fares collected on the performed trip. */
  fareRevenueVnd: number;
  /** The contract version used: its route and effectiveFrom. */
  contractVersion?: { routeId: string; effectiveFrom: string };
  /** Terminal confirmations of the planned trip on its order. */
  confirmations: { kind: 'departure' | 'arrival'; at: string; stopId: string; confirmedBy: string }[];
  /** The planned trip was run by another bus than its order's (a bus swapped mid-day). */
  vehicleSwap?: { plannedBusId: string; performedBusId: string };
  /** Other performed trips that claimed the same planned trip and were left to be unscheduled. */
  competingTrips?: PerformedTripRef[];
  /** For an unscheduled line that claimed a planned trip already served: that trip's line. */
  claimedLineId?: string;
}

/** Penalties (giảm trừ) of a line, integer VND. */
export interface LinePenalties {
  skippedStops: number;
  skippedStopsVnd: number;
  lateTripVnd: number;
  totalVnd: number;
}

/** One line of a statement: a planned trip, or a performed trip without an order. */
export interface StatementLine {
  /** `${tripOrderId}#${sequence}` for a planned trip; `unscheduled#${busId}#${tripId}#${startMs}` otherwise. */
  lineId: string;
  kind: 'planned' | 'unscheduled';
  routeId: string;
  planned?: PlannedTripRef;
  class: LineClass;
  /** For a needs-review line: the classes the unobserved stops or the confirmations leave possible. */
  possibleClasses?: LineClass[];
  /** Why the line has its class, in words (English). */
  reason: string;
  /**
   * The same facts in Vietnamese (`reasons-vi.ts`). Absent on statements stored before it existed: readers fall
   * back to `reason`.
   */
  reasonVi?: string;
  /** Unit cost of the trip from the contract's time band at the planned departure (0 for unscheduled). */
  unitCostVnd: number;
  /** Accepted amount before penalties: the unit cost, its partial share, or 0. */
  amountVnd: number;
  penalties: LinePenalties;
  evidence: LineEvidence;
  /** Present when the centre resolved the line: the class before and the decision. */
  resolution?: LineResolution & { classBefore: LineClass };
  /** Unscheduled lines and lines that need the centre's attention. */
  flagged: boolean;
}

/** Counts of planned lines by class. */
export type ClassCounts = Record<LineClass, number>;

/** Totals of one route (one contract version) on the day. */
export interface RouteTotals {
  routeId: string;
  contractVersion?: { routeId: string; effectiveFrom: string };
  contractType?: RouteContract['type'];
  subsidised: boolean;
  plannedTrips: number;
  /** Planned trips by class, and unscheduled performed trips under `unscheduled`. */
  byClass: ClassCounts;
  acceptedTrips: number;
  /** Σ accepted line amounts, before penalties. */
  costBeforePenaltiesVnd: number;
  penaltiesVnd: number;
  /** All fares collected on the route that day (planned and unscheduled trips alike). */
  fareRevenueVnd: number;
  /** net-cost: cost − penalties − fares; gross-cost: cost − penalties. Signed, before the floor at 0. */
  netResultVnd: number;
  /** A negative net-cost result stated as revenue above cost (payable is then 0). */
  revenueAboveCostVnd: number;
  /** gross-cost: the fares are due to the city. */
  revenueDueToCityVnd: number;
  bidDiscountShare: number;
  /** round half up (max(netResult, 0) × bidDiscountShare). */
  bidDiscountVnd: number;
  /** Subsidy payable (trợ giá được thanh toán): max(netResult, 0) − bid discount; 0 for an unsubsidised route. */
  subsidyPayableVnd: number;
}

/** Totals of the operator-day: the sums of its routes. */
export interface DayTotals {
  plannedTrips: number;
  byClass: ClassCounts;
  acceptedTrips: number;
  costBeforePenaltiesVnd: number;
  penaltiesVnd: number;
  fareRevenueVnd: number;
  revenueAboveCostVnd: number;
  revenueDueToCityVnd: number;
  bidDiscountVnd: number;
  subsidyPayableVnd: number;
}

/** The daily statement (hồ sơ nghiệm thu) of one operator: the run's result, deterministic in its inputs. */
export interface DailyStatement {
  serviceDay: string;
  operatorId: string;
  /** sha256 (hex) of the canonical JSON of the inputs. */
  inputHash: string;
  rounding: RoundingRule;
  lines: StatementLine[];
  routes: RouteTotals[];
  totals: DayTotals;
  /** Resolutions that matched no needs-review line (e.g. the line changed class on a re-run). */
  unappliedResolutions: LineResolution[];
  /** Lines that still need the centre's decision: the statement cannot be approved while any remains. */
  openReviewLineIds: string[];
}

/** One field of a line or of the totals that changed between two versions. */
export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

/** A line that changed between versions: what changed and why, in words. */
export interface LineChange {
  lineId: string;
  changes: FieldChange[];
  why: string[];
}

/** The difference between two versions of a statement. */
export interface StatementDiff {
  fromHash: string;
  toHash: string;
  added: StatementLine[];
  removed: StatementLine[];
  changed: LineChange[];
  totals: FieldChange[];
}

/** An advance (tạm ứng) already paid to an operator for a month. */
export interface Advance {
  operatorId: string;
  /** YYYY-MM. */
  month: string;
  amountVnd: number;
  paidOn?: string;
  reference?: string;
}

/** A service day of the month as the settlement sees it: its approved statement, or why there is none. */
export interface SettlementDay {
  serviceDay: string;
  /** The approved statement; absent when the day was not run or not yet approved. */
  statement?: DailyStatement;
  approved: boolean;
}

/** Everything a monthly settlement reads. */
export interface SettlementInput {
  operatorId: string;
  /** YYYY-MM. */
  month: string;
  /** The operator's days of the month; a calendar day missing here is outstanding. */
  days: readonly SettlementDay[];
  advances: readonly Advance[];
  /** Contract versions of the operator's routes (for performance terms). */
  contracts: readonly RouteContract[];
  /** Journey records of the month, for excess wait time at timing points (only routes with that term read them). */
  journeys?: readonly ReconciliationJourney[];
}

/** Monthly on-time departure figure of a route and its deduction. */
export interface OnTimePerformance {
  /** Planned trips with an observed departure on approved days. */
  departuresObserved: number;
  departuresOnTime: number;
  /** departuresOnTime / departuresObserved (1 when none observed). */
  onTimeShare: number;
  minShare: number;
  met: boolean;
  deductionShare: number;
  deductionVnd: number;
}

/** Excess wait time of a high-frequency route at its timing points, over the month's approved days. */
export interface ExcessWaitTime {
  timingStopIds: string[];
  /** Scheduled departures per hour at the timing points; EWT applies from `minBusesPerHour`. */
  scheduledBusesPerHour: number;
  highFrequency: boolean;
  /** Σh²/(2Σh) over scheduled headways, minutes. */
  scheduledWaitMin: number;
  /** Σh²/(2Σh) over actual headways (actual arrivals), minutes. */
  actualWaitMin: number;
  /** actual − scheduled, minutes. */
  ewtMin: number;
  thresholdMin: number;
  met: boolean;
  deductionShare: number;
  deductionVnd: number;
}

/** One route contract's month for the operator. */
export interface SettlementRoute {
  routeId: string;
  /** Σ subsidy payable of the approved days. */
  approvedPayableVnd: number;
  approvedDays: number;
  onTime?: OnTimePerformance;
  excessWaitTime?: ExcessWaitTime;
  deductionsVnd: number;
  /** approvedPayable − deductions. */
  payableVnd: number;
}

/** The monthly settlement (thanh quyết toán) of one operator. */
export interface MonthlySettlement {
  operatorId: string;
  month: string;
  rounding: RoundingRule;
  routes: SettlementRoute[];
  approvedDays: string[];
  /** Days of the month not yet approved (or not run), listed so that none is silently left out. */
  outstandingDays: { serviceDay: string; status: 'not-run' | 'pending-approval' }[];
  /** Σ routes' payable. */
  approvedTotalVnd: number;
  advancesVnd: number;
  advances: Advance[];
  /** approvedTotal − advances: negative when the advances exceed the month (owed back by the operator). */
  balanceVnd: number;
  /** The balance in words: to pay the operator, owed by the operator, or settled. */
  balanceStatus: 'payable-to-operator' | 'owed-by-operator' | 'settled';
}
