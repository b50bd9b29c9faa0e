/**
 * What the reconciliation, settlement, quality and complaints pages share: money in VND as people write it
 * (`1.835.000 ₫` in Vietnamese, `1,835,000 ₫` in English), shares as percentages, and the API's CSV and HTML
 * exports fetched with the session's token (a plain link cannot carry it).
 */
import { currentSession } from './auth.js';
import { lang } from './i18n.js';
import type { PageContext } from './page.js';

const locale = () => (lang() === 'vi' ? 'vi-VN' : 'en-GB');

/** Integer VND with the language's grouping and the đồng sign after a non-breaking space. */
export function vnd(amount: number): string {
  return `${new Intl.NumberFormat(locale(), { maximumFractionDigits: 0 }).format(amount)}\u00a0₫`;
}

export function percent(share: number | null | undefined): string {
  return share === null || share === undefined ? '—' : `${new Intl.NumberFormat(locale(), { maximumFractionDigits: 1 }).format(share * 100)}\u00a0%`;
}

/** A date YYYY-MM-DD as the language writes it (10/03/2026 or 10 Mar 2026), without moving it across zones. */
export function dayText(day: string): string {
  return new Intl.DateTimeFormat(locale(), { timeZone: 'UTC', day: '2-digit', month: lang() === 'vi' ? '2-digit' : 'short', year: 'numeric' }).format(
    new Date(`${day}T00:00:00Z`),
  );
}

/** An export of the API (CSV, HTML) as it came, byte for byte (a CSV keeps its byte-order mark for Excel), with the session's token. */
async function exportBody(ctx: PageContext, path: string, query: Record<string, string>): Promise<Blob> {
  const session = currentSession();
  const base = (ctx.config.apiUrl ?? '').replace(/\/$/, '');
  const res = await fetch(`${base}${path}?${new URLSearchParams(query)}`, {
    headers: session ? { authorization: `Bearer ${session.token}` } : {},
    signal: ctx.signal,
  });
  const body = await res.arrayBuffer();
  if (!res.ok) {
    const problem = JSON.parse(new TextDecoder().decode(body) || '{}') as { detail?: string };
    throw new Error(problem.detail ?? `HTTP ${res.status}`);
  }
  return new Blob([body], { type: res.headers.get('content-type') ?? 'application/octet-stream' });
}

/** Saves an export as a file named `fileName`. */
export async function downloadExport(ctx: PageContext, path: string, query: Record<string, string>, fileName: string): Promise<void> {
  const url = URL.createObjectURL(await exportBody(ctx, path, query));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Opens an HTML export (the printable acceptance record) in a new tab (opened at once, so that no pop-up blocker stops it). */
export async function openExport(ctx: PageContext, path: string, query: Record<string, string>): Promise<void> {
  const tab = window.open('', '_blank');
  const url = URL.createObjectURL(await exportBody(ctx, path, query));
  if (tab) tab.location.href = url;
  else window.location.assign(url);
}
