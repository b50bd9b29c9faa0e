/** What a complaint's evidence shows, in one sentence in Vietnamese and one in English. Pure. */
import { localHhmm } from '../../kernel/time/service-day.js';
import type { ComplaintKind, ComplaintSummary, StopPassEvidence } from './types.js';
import type { PassWindow } from './stop-passes.js';

export interface SummaryInput {
  kind: ComplaintKind;
  /** The passes that decide the verdict (`verdictOf`), first the one the sentence names. */
  decisive: readonly StopPassEvidence[];
  evidence: readonly StopPassEvidence[];
  stopName: string;
  /** Whom the complaint names: a route, a plate or a bus. */
  subject: { routeId?: string; plate?: string; busId?: string };
  window: PassWindow;
  timeZone: string;
}

/** The sentence for a verdict, naming the bus, stop and time that decide it. */
export function summarise(s: SummaryInput): ComplaintSummary {
  const hhmm = (iso: string | undefined) => (iso ? localHhmm(Date.parse(iso), s.timeZone) : '?');
  const first = s.decisive[0];
  const bus = (p: StopPassEvidence) => p.plate ?? p.busId;
  const others = s.decisive.length - 1;
  const more = { vi: others > 0 ? ` (và ${others} xe khác)` : '', en: others > 0 ? ` (and ${others} other bus${others > 1 ? 'es' : ''})` : '' };
  const stop = s.stopName;
  const route = (p: StopPassEvidence) => p.routeId;
  const minutes = (seconds: number) => Math.round(Math.abs(seconds) / 60);
  const speed = (p: StopPassEvidence) =>
    p.zone.minSpeedKmh !== undefined
      ? { vi: `, tốc độ thấp nhất trong vùng trạm ${p.zone.minSpeedKmh} km/h`, en: `, slowest ${p.zone.minSpeedKmh} km/h in the stop zone` }
      : { vi: '', en: '' };

  if (!first) {
    const span = `${localHhmm(s.window.fromMs, s.timeZone)}–${localHhmm(s.window.toMs, s.timeZone)}`;
    const late = s.kind === 'late';
    const passes = s.evidence.length;
    if (passes > 0) {
      return {
        vi: `Không đủ dữ liệu: ${passes} lượt xe qua trạm ${stop} trong khoảng ${span} nhưng dữ liệu không đủ để xác định ${late ? 'giờ đến so với lịch' : 'xe có dừng hay không'}.`,
        en: `No data: ${passes} bus pass${passes > 1 ? 'es' : ''} at stop ${stop} between ${span}, but the data cannot tell ${late ? 'the arrival against the timetable' : 'whether the bus stopped'}.`,
      };
    }
    const who = s.subject.plate ?? s.subject.busId;
    if (who) {
      return {
        vi: `Không có dữ liệu: xe ${who} không ${late ? 'có lịch đến' : 'đi qua'} trạm ${stop} trong khoảng ${span}.`,
        en: `No data: bus ${who} ${late ? 'was not due at' : 'did not pass'} stop ${stop} between ${span}.`,
      };
    }
    return {
      vi: `Không có dữ liệu: không có xe nào của tuyến ${s.subject.routeId} ${late ? 'theo lịch đến' : 'đi qua'} trạm ${stop} trong khoảng ${span}.`,
      en: `No data: no bus of route ${s.subject.routeId} ${late ? 'was due at' : 'passed'} stop ${stop} between ${span}.`,
    };
  }

  switch (first.finding) {
    case 'skipped': {
      const sp = speed(first);
      return {
        vi: `Xác nhận: xe ${bus(first)} tuyến ${route(first)} đi qua trạm ${stop} lúc ${hhmm(first.passedAt)} mà không dừng${sp.vi}${more.vi}.`,
        en: `Confirmed: bus ${bus(first)} of route ${route(first)} passed stop ${stop} at ${hhmm(first.passedAt)} without stopping${sp.en}${more.en}.`,
      };
    }
    case 'no-door':
      return {
        vi: `Xác nhận: xe ${bus(first)} tuyến ${route(first)} dừng tại trạm ${stop} lúc ${hhmm(first.passedAt)} nhưng không mở cửa${more.vi}.`,
        en: `Confirmed: bus ${bus(first)} of route ${route(first)} stopped at ${stop} at ${hhmm(first.passedAt)} but did not open its doors${more.en}.`,
      };
    case 'missed':
      return {
        vi: `Xác nhận: chuyến ${first.tripId} của xe ${bus(first)} theo lịch đến trạm ${stop} lúc ${hhmm(first.scheduledArrivalAt)} nhưng không chạy${more.vi}.`,
        en: `Confirmed: trip ${first.tripId} of bus ${bus(first)}, due at stop ${stop} at ${hhmm(first.scheduledArrivalAt)}, never ran${more.en}.`,
      };
    case 'late':
      return {
        vi: `Xác nhận: xe ${bus(first)} tuyến ${route(first)} đến trạm ${stop} lúc ${hhmm(first.arrivalAt)}, trễ ${minutes(first.delayS ?? 0)} phút so với lịch (${hhmm(first.scheduledArrivalAt)})${more.vi}.`,
        en: `Confirmed: bus ${bus(first)} of route ${route(first)} reached stop ${stop} at ${hhmm(first.arrivalAt)}, ${minutes(first.delayS ?? 0)} min behind its timetable (${hhmm(first.scheduledArrivalAt)})${more.en}.`,
      };
    case 'on-time': {
      const early = (first.delayS ?? 0) < 0;
      return {
        vi: `Xe ${bus(first)} tuyến ${route(first)} đến trạm ${stop} lúc ${hhmm(first.arrivalAt)}, đúng lịch (${hhmm(first.scheduledArrivalAt)}, ${early ? 'sớm' : 'trễ'} ${minutes(first.delayS ?? 0)} phút)${more.vi}.`,
        en: `Bus ${bus(first)} of route ${route(first)} reached stop ${stop} at ${hhmm(first.arrivalAt)}, on time (due ${hhmm(first.scheduledArrivalAt)}, ${minutes(first.delayS ?? 0)} min ${early ? 'early' : 'late'})${more.en}.`,
      };
    }
    default: {
      const dwell = first.dwellS !== undefined ? { vi: ` trong ${first.dwellS} giây`, en: ` for ${first.dwellS} s` } : { vi: '', en: '' };
      const doors = first.doorOpened ? { vi: ', có mở cửa', en: ', doors opened' } : { vi: '', en: '' };
      return {
        vi: `Xe ${bus(first)} tuyến ${route(first)} đã dừng tại trạm ${stop} lúc ${hhmm(first.passedAt)}${dwell.vi}${doors.vi}${more.vi}.`,
        en: `Bus ${bus(first)} of route ${route(first)} stopped at ${stop} at ${hhmm(first.passedAt)}${dwell.en}${doors.en}${more.en}.`,
      };
    }
  }
}
