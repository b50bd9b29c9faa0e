/** Service days as BusFlow counts them: Ho Chi Minh City dates, a day running until 03:00 the next morning. */
const DAY_STARTS_AT_H = 3;

/** Today's service day by this browser's clock (a page's default; the address can name another day). */
export function todayServiceDay(nowMs: number = Date.now()): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(nowMs - DAY_STARTS_AT_H * 3600_000),
  );
}
