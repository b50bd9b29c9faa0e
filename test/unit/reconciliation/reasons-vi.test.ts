/**
 * The Vietnamese reason of every kind of line, as exact sentences: the worked example's lines, the edges of the
 * departure and the stop shares, data gaps, trips without telemetry or contract, a swap, competing claims and the
 * centre's resolutions. The English reason stays as it was.
 */
import { describe, expect, it } from 'vitest';
import { inputHash } from '../../../shared/domain/reconciliation/input-hash.js';
import { applyResolutions } from '../../../shared/domain/reconciliation/review.js';
import { reconcileDay } from '../../../shared/domain/reconciliation/statement.js';
import type { ReconciliationInput } from '../../../shared/domain/reconciliation/types.js';
import { DAY, OPERATOR, at, contract, journey, order, stops, workedExample } from './fixtures.js';

const T1 = at('07:00');

/** One planned trip at 07:00 run by B1 departing `delayS` late with the given stops. */
function oneTrip(delayS: number, stopSpec = stops('v', 20), over: Partial<ReconciliationInput> = {}): ReconciliationInput {
  return {
    serviceDay: DAY,
    operatorId: OPERATOR,
    orders: [order('O1', 'B1', [{ sequence: 1, at: T1, directionId: 0 }])],
    journeys: [journey({ busId: 'B1', tripId: 't1', departMs: T1 + delayS * 1000, directionId: 0, stops: stopSpec, revenueVnd: 0 })],
    contracts: [contract()],
    ...over,
  };
}
const vi = (input: ReconciliationInput) => reconcileDay(input).lines[0]!.reasonVi;

describe('the worked example in Vietnamese', () => {
  const s = reconcileDay(workedExample());

  it('says why each line has its class', () => {
    expect(s.lines.map((l) => l.reasonVi)).toEqual([
      'hoàn thành: xuất bến đúng giờ, trong dung sai -1/+5 phút (giới hạn trễ 30 phút); đã ghé 19/20 trạm, bỏ 1 trạm (S10)',
      'trễ: xuất bến trễ 8 phút, ngoài dung sai -1/+5 phút nhưng trong giới hạn trễ 30 phút; đã ghé 20/20 trạm',
      'một phần: đã ghé 12/20 trạm, 8 trạm không đến, dưới 90 % nhưng đạt ít nhất 50 %; xuất bến đúng giờ',
      'không chạy: không có chuyến thực hiện nào khớp với lệnh vận chuyển, bến không xác nhận',
      'ngoài kế hoạch: xe B9 chạy chuyến extra-1 không có lệnh vận chuyển (đã ghé 20/20 trạm); không thanh toán',
    ]);
  });

  it('keeps the English reason as it was', () => {
    expect(s.lines[0]!.reason).toBe(
      'completed: departed on the minute, within the tolerance -1/+5 min, late limit 30 min; 19/20 stops visited, 1 skipped (S10)',
    );
    expect(s.lines[3]!.reason).toBe('missed: not run (no trip performed matches it, no terminal confirmation)');
  });

  it('leaves the input hash alone: reasons are outputs', () => {
    expect(s.inputHash).toBe(inputHash(workedExample()));
    expect(s.inputHash).toBe(reconcileDay(workedExample()).inputHash);
  });
});

describe('departure and stops', () => {
  it('an early departure beyond the tolerance is late, in minutes and seconds', () => {
    expect(vi(oneTrip(-61))).toBe('trễ: xuất bến sớm 1 phút 1 giây, ngoài dung sai -1/+5 phút nhưng trong giới hạn trễ 30 phút; đã ghé 20/20 trạm');
  });

  it('a departure within the tolerance, in seconds', () => {
    expect(vi(oneTrip(45))).toBe('hoàn thành: xuất bến trễ 45 giây, trong dung sai -1/+5 phút (giới hạn trễ 30 phút); đã ghé 20/20 trạm');
  });

  it('after the late limit the trip is not run', () => {
    expect(vi(oneTrip(1801))).toBe('không chạy: xuất bến trễ 30 phút 1 giây, quá giới hạn trễ 30 phút (dung sai -1/+5 phút)');
  });

  it('below the partial share the trip is not run', () => {
    expect(vi(oneTrip(0, stops('v', 9, 'n', 11)))).toBe('không chạy: đã ghé 9/20 trạm, 11 trạm không đến, dưới 50 %');
  });

  it('a partial trip with skipped stops that departed late', () => {
    expect(vi(oneTrip(600, stops('v', 5, 's', 2, 'v', 6, 'n', 7)))).toBe(
      'một phần: đã ghé 11/20 trạm, 7 trạm không đến, bỏ 2 trạm (S6, S7), dưới 90 % nhưng đạt ít nhất 50 %; xuất bến trễ 10 phút (trễ)',
    );
  });
});

describe('lines that need review', () => {
  it('unobserved stops that could change the class', () => {
    expect(vi(oneTrip(0, stops('v', 8, 'u', 2, 'v', 8, 's', 1, 'v', 1)))).toBe(
      'cần xem xét: 2 trạm không ghi nhận (thiếu dữ liệu: S9, S10) — có thể là hoàn thành hoặc một phần',
    );
  });

  it('a departure read at a later stop', () => {
    expect(vi(oneTrip(600, stops('u', 1, 'v', 19)))).toBe(
      'cần xem xét: 1 trạm không ghi nhận (thiếu dữ liệu: S1); trạm đầu không ghi nhận nên giờ xuất bến được đọc ở một trạm sau — có thể là hoàn thành hoặc trễ',
    );
  });

  it('no telemetry but the terminal confirmed the departure and the arrival', () => {
    const confirmation = (kind: 'departure' | 'arrival', stopId: string, ms: number) => ({
      tripSequence: 1,
      kind,
      at: new Date(ms).toISOString(),
      stopId,
      confirmedBy: 'staff-1',
      recordedAt: new Date(ms).toISOString(),
    });
    const orders = [
      order('O1', 'B1', [{ sequence: 1, at: T1, directionId: 0 }], {
        confirmations: [confirmation('departure', 'S1', T1), confirmation('arrival', 'S20', T1 + 3_600_000)],
      }),
    ];
    expect(vi(oneTrip(0, undefined, { orders, journeys: [] }))).toBe(
      'cần xem xét: không có dữ liệu hành trình của chuyến, nhưng bến đã xác nhận xuất bến và đến bến',
    );
  });

  it('a route with no contract in force', () => {
    expect(vi(oneTrip(0, undefined, { contracts: [] }))).toBe('cần xem xét: tuyến R1 không có hợp đồng đang hiệu lực');
  });
});

describe('matching', () => {
  it('names a vehicle swap', () => {
    const s = reconcileDay({
      serviceDay: DAY,
      operatorId: OPERATOR,
      orders: [order('O1', 'B1', [{ sequence: 1, at: at('08:00'), directionId: 1 }])],
      journeys: [journey({ busId: 'B2', tripId: 'b', departMs: at('08:02'), directionId: 1, stops: stops('v', 20) })],
      contracts: [contract()],
    });
    expect(s.lines[0]!.reasonVi).toBe(
      'hoàn thành: xuất bến trễ 2 phút, trong dung sai -1/+5 phút (giới hạn trễ 30 phút); đã ghé 20/20 trạm; xe B2 chạy thay xe B1 (đổi xe)',
    );
  });

  it('names competing claims on both sides', () => {
    const s = reconcileDay(
      oneTrip(60, stops('v', 20), {
        journeys: [
          journey({ busId: 'B1', tripId: 't1', departMs: T1 + 60_000, directionId: 0, stops: stops('v', 20) }),
          journey({ busId: 'B1', tripId: 't1-again', departMs: T1 + 240_000, directionId: 0, stops: stops('v', 20) }),
        ],
      }),
    );
    expect(s.lines.map((l) => l.reasonVi)).toEqual([
      'hoàn thành: xuất bến trễ 1 phút, trong dung sai -1/+5 phút (giới hạn trễ 30 phút); đã ghé 20/20 trạm; 1 chuyến thực hiện khác cũng nhận chuyến này và được tính ngoài kế hoạch',
      'ngoài kế hoạch: xe B1 chạy chuyến t1-again không có lệnh vận chuyển (đã ghé 20/20 trạm); không thanh toán; chuyến nhận chuyến kế hoạch O1#1, nhưng chuyến đó đã do một chuyến khớp hơn phục vụ',
    ]);
  });
});

describe("the centre's resolution", () => {
  const input = oneTrip(0, stops('v', 8, 'u', 2, 'v', 8, 's', 1, 'v', 1));

  it('gives the decision, its reason and the reason before', () => {
    const s = reconcileDay({ ...input, resolutions: [{ lineId: 'O1#1', decision: 'partial', reason: 'tài xế báo quay đầu sớm' }] });
    expect(s.lines[0]!.reasonVi).toBe(
      'một phần: trung tâm đã xem xét (chấp nhận một phần): tài xế báo quay đầu sớm — trước đó: cần xem xét: 2 trạm không ghi nhận (thiếu dữ liệu: S9, S10) — có thể là hoàn thành hoặc một phần',
    );
  });

  it('resolved again, names the class before the first resolution', () => {
    const once = reconcileDay({ ...input, resolutions: [{ lineId: 'O1#1', decision: 'partial', reason: 'lần đầu' }] });
    const twice = applyResolutions(once, [{ lineId: 'O1#1', decision: 'rejected', reason: 'camera bến' }], input.contracts);
    expect(twice.lines[0]!.reasonVi).toBe('không chạy: trung tâm đã xem xét (không nghiệm thu): camera bến — trước đó: cần xem xét');
  });
});
