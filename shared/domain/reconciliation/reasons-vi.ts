/**
 * A line's reason in Vietnamese, as the city writes it (hoàn thành, trễ, một phần, không chạy, cần xem xét, ngoài
 * kế hoạch, bỏ trạm, lệnh vận chuyển, xuất bến, dung sai, giới hạn trễ), built from the same facts as the English
 * reason — never by translating its text, so a change of wording in one cannot garble the other.
 */
import type { RouteContract } from '../contracts/schemas.js';
import type { DepartureClass, DepartureSource, LineClass, LineResolution, StatementLine, StopEvidence } from './types.js';

const CLASS_VI: Record<LineClass, string> = {
  completed: 'hoàn thành',
  late: 'trễ',
  partial: 'một phần',
  missed: 'không chạy',
  'needs-review': 'cần xem xét',
  unscheduled: 'ngoài kế hoạch',
};

const DECISION_VI: Record<LineResolution['decision'], string> = {
  completed: 'chấp nhận hoàn thành',
  partial: 'chấp nhận một phần',
  rejected: 'không nghiệm thu',
};

type Window = Pick<RouteContract, 'departureToleranceMin' | 'lateLimitMin'>;
type Shares = Pick<RouteContract, 'minStopShareComplete' | 'minStopSharePartial'>;

/** The Vietnamese reason of a classified run (not needs-review). */
export function reasonOfVi(cls: LineClass, d: DepartureClass | undefined, delayMs: number | undefined, stops: StopEvidence, c: Window & Shares): string {
  const delay = delayMs === undefined ? 'không ghi nhận giờ xuất bến' : `xuất bến ${delayVi(delayMs)}`;
  const share = `đã ghé ${stops.visited}/${stops.total} trạm`;
  const skipped = stops.skipped > 0 ? `, bỏ ${stops.skipped} trạm (${stops.skippedStopIds.join(', ')})` : '';
  const notReached = stops.notReached > 0 ? `, ${stops.notReached} trạm không đến` : '';
  const tolerance = `dung sai ${c.departureToleranceMin.earlyMin}/+${c.departureToleranceMin.lateMin} phút`;
  const limit = `giới hạn trễ ${c.lateLimitMin} phút`;
  switch (cls) {
    case 'completed':
      return `hoàn thành: ${delay}, trong ${tolerance} (${limit}); ${share}${skipped}`;
    case 'late':
      return `trễ: ${delay}, ngoài ${tolerance} nhưng trong ${limit}; ${share}${skipped}`;
    case 'partial':
      return `một phần: ${share}${notReached}${skipped}, dưới ${pct(c.minStopShareComplete)} nhưng đạt ít nhất ${pct(c.minStopSharePartial)}; ${delay}${d === 'late' ? ' (trễ)' : ''}`;
    default:
      return d === 'beyond-limit'
        ? `không chạy: ${delay}, quá ${limit} (${tolerance})`
        : `không chạy: ${share}${notReached}, dưới ${pct(c.minStopSharePartial)}`;
  }
}

/** The Vietnamese reason of a run whose unobserved stops or departure leave several classes possible. */
export function reviewReasonVi(stops: StopEvidence, source: DepartureSource | undefined, possible: LineClass[]): string {
  const parts: string[] = [];
  if (stops.unobserved > 0) parts.push(`${stops.unobserved} trạm không ghi nhận (thiếu dữ liệu: ${stops.unobservedStopIds.join(', ')})`);
  if (source === 'later-stop') parts.push('trạm đầu không ghi nhận nên giờ xuất bến được đọc ở một trạm sau');
  if (source === undefined) parts.push('không ghi nhận giờ xuất bến');
  return `cần xem xét: ${parts.join('; ')} — có thể là ${possible.map((c) => CLASS_VI[c]).join(' hoặc ')}`;
}

export const noContractVi = (routeId: string) => `cần xem xét: tuyến ${routeId} không có hợp đồng đang hiệu lực`;

/** A planned trip with no telemetry that the terminal confirmed anyway. */
export function confirmedWithoutTelemetryVi(kinds: readonly ('departure' | 'arrival')[]): string {
  const words = kinds.map((k) => (k === 'departure' ? 'xuất bến' : 'đến bến'));
  return `cần xem xét: không có dữ liệu hành trình của chuyến, nhưng bến đã xác nhận ${words.join(' và ')}`;
}

export const NOT_RUN_VI = 'không chạy: không có chuyến thực hiện nào khớp với lệnh vận chuyển, bến không xác nhận';

export const vehicleSwapVi = (swap: { plannedBusId: string; performedBusId: string }) =>
  `; xe ${swap.performedBusId} chạy thay xe ${swap.plannedBusId} (đổi xe)`;

export const competingVi = (count: number) => `; ${count} chuyến thực hiện khác cũng nhận chuyến này và được tính ngoài kế hoạch`;

/** A performed trip that no trip order planned. */
export function unscheduledVi(busId: string, tripId: string, stops: StopEvidence, claimedLineId: string | undefined): string {
  const claimed = claimedLineId ? `; chuyến nhận chuyến kế hoạch ${claimedLineId}, nhưng chuyến đó đã do một chuyến khớp hơn phục vụ` : '';
  return `ngoài kế hoạch: xe ${busId} chạy chuyến ${tripId} không có lệnh vận chuyển (đã ghé ${stops.visited}/${stops.total} trạm); không thanh toán${claimed}`;
}

/** A line the centre resolved: its class, the decision and why, and what the line said before. */
export function resolvedVi(cls: LineClass, r: LineResolution, line: StatementLine): string {
  // Resolved again: the class before the first resolution (as the English reason does); else the line's own reason.
  const previous = line.resolution ? CLASS_VI[line.resolution.classBefore] : (line.reasonVi ?? line.reason);
  return `${CLASS_VI[cls]}: trung tâm đã xem xét (${DECISION_VI[r.decision]}): ${r.reason} — trước đó: ${previous}`;
}

/** `trễ 8 phút`, `sớm 1 phút 30 giây`, `trễ 45 giây`, `đúng giờ`. */
function delayVi(delayMs: number): string {
  const s = Math.round(Math.abs(delayMs) / 1000);
  if (s === 0) return 'đúng giờ';
  const min = Math.floor(s / 60);
  const text = [min ? `${min} phút` : '', s % 60 ? `${s % 60} giây` : ''].filter(Boolean).join(' ');
  return delayMs > 0 ? `trễ ${text}` : `sớm ${text}`;
}

function pct(share: number): string {
  return `${Math.round(share * 1000) / 10} %`;
}
