/** The words of the exports, in Vietnamese (the default) and English. */
import type { LineClass } from '../reconciliation/types.js';

export type ExportLang = 'vi' | 'en';

export const CLASS_LABELS: Record<ExportLang, Record<LineClass, string>> = {
  vi: { completed: 'Hoàn thành', late: 'Trễ giờ', partial: 'Không trọn lượt', missed: 'Không thực hiện', 'needs-review': 'Cần xem xét', unscheduled: 'Ngoài kế hoạch' },
  en: { completed: 'Completed', late: 'Late', partial: 'Partial', missed: 'Missed', 'needs-review': 'Needs review', unscheduled: 'Unscheduled' },
};

/** Columns of the statement CSV, in order. */
export const STATEMENT_COLUMNS = [
  'orderNumber', 'routeId', 'sequence', 'plate', 'driverId', 'plannedDeparture', 'actualDeparture', 'class', 'stopsVisited', 'stopsSkipped', 'skippedStopIds',
  'stopsUnobserved', 'unitCostVnd', 'amountVnd', 'penaltiesVnd', 'fareRevenueVnd', 'subsidyPaidVnd', 'reason', 'notes',
] as const;
export type StatementColumn = (typeof STATEMENT_COLUMNS)[number];

export const STATEMENT_HEADERS: Record<ExportLang, Record<StatementColumn, string>> = {
  vi: {
    orderNumber: 'Lệnh vận chuyển', routeId: 'Tuyến', sequence: 'Lượt', plate: 'Biển kiểm soát', driverId: 'Lái xe', plannedDeparture: 'Giờ xuất bến kế hoạch',
    actualDeparture: 'Giờ xuất bến thực tế', class: 'Phân loại', stopsVisited: 'Số trạm dừng', stopsSkipped: 'Số trạm bỏ', skippedStopIds: 'Trạm bỏ',
    stopsUnobserved: 'Số trạm thiếu dữ liệu', unitCostVnd: 'Đơn giá (VND)', amountVnd: 'Thành tiền (VND)', penaltiesVnd: 'Giảm trừ (VND)',
    fareRevenueVnd: 'Doanh thu vé (VND)', subsidyPaidVnd: 'Trợ giá được thanh toán (VND)', reason: 'Lý do', notes: 'Ghi chú',
  },
  en: {
    orderNumber: 'Trip order', routeId: 'Route', sequence: 'Trip', plate: 'Plate', driverId: 'Driver', plannedDeparture: 'Planned departure',
    actualDeparture: 'Actual departure', class: 'Class', stopsVisited: 'Stops visited', stopsSkipped: 'Stops skipped', skippedStopIds: 'Skipped stops',
    stopsUnobserved: 'Stops unobserved', unitCostVnd: 'Unit cost (VND)', amountVnd: 'Amount (VND)', penaltiesVnd: 'Penalties (VND)',
    fareRevenueVnd: 'Fare revenue (VND)', subsidyPaidVnd: 'Subsidy paid (VND)', reason: 'Reason', notes: 'Notes',
  },
};

export const SETTLEMENT_COLUMNS = ['routeId', 'approvedDays', 'approvedPayableVnd', 'deductionsVnd', 'payableVnd'] as const;
export type SettlementColumn = (typeof SETTLEMENT_COLUMNS)[number];

export const SETTLEMENT_HEADERS: Record<ExportLang, Record<SettlementColumn, string>> = {
  vi: { routeId: 'Tuyến', approvedDays: 'Số ngày đã nghiệm thu', approvedPayableVnd: 'Trợ giá đã nghiệm thu (VND)', deductionsVnd: 'Giảm trừ chất lượng (VND)', payableVnd: 'Trợ giá được thanh toán (VND)' },
  en: { routeId: 'Route', approvedDays: 'Approved days', approvedPayableVnd: 'Approved subsidy (VND)', deductionsVnd: 'Performance deductions (VND)', payableVnd: 'Subsidy payable (VND)' },
};

/** Words of the totals and the record, by language. */
export const WORDS: Record<ExportLang, Record<string, string>> = {
  vi: {
    total: 'Tổng cộng', plannedTrips: 'Số lượt kế hoạch', acceptedTrips: 'Số lượt được nghiệm thu', costBeforePenalties: 'Chi phí trước giảm trừ (VND)',
    penalties: 'Giảm trừ (VND)', fareRevenue: 'Doanh thu vé (VND)', revenueAboveCost: 'Doanh thu vượt chi phí (VND)', revenueDueToCity: 'Doanh thu vé nộp ngân sách (VND)',
    bidDiscount: 'Giảm giá theo đấu thầu (VND)', subsidyPayable: 'Trợ giá được thanh toán (VND)', approvedTotal: 'Tổng trợ giá đã nghiệm thu (VND)',
    advances: 'Đã tạm ứng (VND)', balance: 'Còn phải thanh toán (VND)', outstanding: 'Ngày chưa nghiệm thu', rounding: 'Làm tròn: từng dòng, nửa lên, đến đồng',
    title: 'BIÊN BẢN NGHIỆM THU KHỐI LƯỢNG VẬN CHUYỂN HÀNH KHÁCH BẰNG XE BUÝT', serviceDay: 'Ngày hoạt động', operator: 'Đơn vị vận tải', version: 'Phiên bản',
    inputHash: 'Mã kiểm tra dữ liệu', status: 'Trạng thái', approved: 'Đã duyệt', open: 'Chưa duyệt', centre: 'ĐẠI DIỆN TRUNG TÂM QUẢN LÝ GIAO THÔNG CÔNG CỘNG',
    operatorSide: 'ĐẠI DIỆN ĐƠN VỊ VẬN TẢI', sign: '(Ký, ghi rõ họ tên, đóng dấu)', totals: 'Tổng hợp', lines: 'Chi tiết các lượt xe', byClass: 'Theo phân loại',
    unscheduledFlag: 'ngoài kế hoạch, không thanh toán', swap: 'đổi xe', resolution: 'quyết định của Trung tâm', approvedBy: 'Người duyệt', approvedAt: 'Thời điểm duyệt',
  },
  en: {
    total: 'Total', plannedTrips: 'Planned trips', acceptedTrips: 'Accepted trips', costBeforePenalties: 'Cost before penalties (VND)', penalties: 'Penalties (VND)',
    fareRevenue: 'Fare revenue (VND)', revenueAboveCost: 'Revenue above cost (VND)', revenueDueToCity: 'Fare revenue due to the city (VND)', bidDiscount: 'Bid discount (VND)',
    subsidyPayable: 'Subsidy payable (VND)', approvedTotal: 'Approved subsidy (VND)', advances: 'Advances paid (VND)', balance: 'Balance to pay (VND)',
    outstanding: 'Days not yet approved', rounding: 'Rounding: half up to whole VND, per line', title: 'ACCEPTANCE RECORD OF BUS SERVICE', serviceDay: 'Service day',
    operator: 'Operator', version: 'Version', inputHash: 'Input hash', status: 'Status', approved: 'Approved', open: 'Not approved',
    centre: 'FOR THE PUBLIC TRANSPORT MANAGEMENT CENTRE', operatorSide: 'FOR THE OPERATOR', sign: '(Signature, full name, seal)', totals: 'Totals',
    lines: 'Trips', byClass: 'By class', unscheduledFlag: 'unscheduled, not paid', swap: 'bus swapped', resolution: "the centre's decision", approvedBy: 'Approved by',
    approvedAt: 'Approved at',
  },
};
