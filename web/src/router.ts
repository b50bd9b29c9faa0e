/** Which page a path shows, with its `:name` parameters; and same-origin links followed without reload. */
import type { Page } from './page.js';

export interface Match {
  page: Page;
  params: Record<string, string>;
}

export function matchPage(pages: readonly Page[], pathname: string): Match | undefined {
  const parts = pathname.split('/').filter(Boolean);
  for (const page of pages) {
    const pattern = page.path.split('/').filter(Boolean);
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < pattern.length && ok; i++) {
      const want = pattern[i]!;
      const got = parts[i]!;
      if (want.startsWith(':')) {
        try {
          params[want.slice(1)] = decodeURIComponent(got);
        } catch {
          ok = false;
        }
      } else ok = want === got;
    }
    if (ok) return { page, params };
  }
  return undefined;
}

/** Follows clicks on in-app links (`<a href="/orders">`) with history.pushState. */
export function interceptLinks(navigate: (path: string) => void): void {
  document.addEventListener('click', (ev) => {
    if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    const a = (ev.target as Element | null)?.closest?.('a');
    if (!a || a.target || a.hasAttribute('download')) return;
    const href = a.getAttribute('href');
    if (!href?.startsWith('/') || href.startsWith('/v1/')) return;
    ev.preventDefault();
    navigate(href);
  });
}
