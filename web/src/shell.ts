/**
 * The frame around every page: the header (brand, navigation, language, who is signed in) and the page's
 * element; shows the page the address names, sends to sign-in when a page needs it, and stops a page's polling
 * when the user leaves it.
 */
import { api, configureApi } from './api.js';
import { currentSession, signOut } from './auth.js';
import type { ConsoleConfig } from './config.js';
import { h, replace } from './dom.js';
import { defineMessages, lang, onLangChange, setLang } from './i18n.js';
import type { NavKey, Page, PageContext } from './page.js';
import { pages } from './pages/index.js';
import { interceptLinks, matchPage } from './router.js';

const t = defineMessages({
  vi: {
    'nav.map': 'Bản đồ',
    'nav.orders': 'Lệnh vận chuyển',
    'nav.reconciliation': 'Đối soát',
    'nav.quality': 'Chất lượng',
    'nav.complaints': 'Phản ánh',
    navLabel: 'Điều hướng chính',
    skip: 'Bỏ qua, đến nội dung',
    switchLang: 'English',
    switchLangLabel: 'Switch to English',
    signIn: 'Đăng nhập',
    signOut: 'Đăng xuất',
    centre: 'Trung tâm',
    notFound: 'Không tìm thấy trang',
    back: 'Về bản đồ',
    forbidden: 'Trang này chỉ dành cho Trung tâm.',
    failed: 'Không tải được trang: {message}',
  },
  en: {
    'nav.map': 'Map',
    'nav.orders': 'Trip orders',
    'nav.reconciliation': 'Reconciliation',
    'nav.quality': 'Quality',
    'nav.complaints': 'Complaints',
    navLabel: 'Main navigation',
    skip: 'Skip to content',
    switchLang: 'Tiếng Việt',
    switchLangLabel: 'Chuyển sang tiếng Việt',
    signIn: 'Sign in',
    signOut: 'Sign out',
    centre: 'Centre',
    notFound: 'Page not found',
    back: 'Back to the map',
    forbidden: 'This page is for the centre only.',
    failed: 'The page could not load: {message}',
  },
});

let config: ConsoleConfig;
let leave: AbortController | undefined;
const operatorNames = new Map<string, string>();

export function startShell(cfg: ConsoleConfig): void {
  config = cfg;
  configureApi({
    ...(cfg.apiUrl ? { baseUrl: cfg.apiUrl } : {}),
    onUnauthorized: () => {
      signOut();
      navigate(`/login?next=${encodeURIComponent(location.pathname)}`);
    },
  });
  document.documentElement.lang = lang();
  interceptLinks(navigate);
  window.addEventListener('popstate', () => void render());
  onLangChange(() => void render());
  void render();
}

function navigate(path: string): void {
  if (path !== location.pathname + location.search) history.pushState(null, '', path);
  void render();
}

async function render(): Promise<void> {
  leave?.abort();
  const controller = new AbortController();
  leave = controller;
  const app = document.getElementById('app')!;
  const match = matchPage(pages, location.pathname);
  const session = currentSession();
  const main = h('main', { id: 'main', tabindex: -1 });

  if (match && match.page.access !== 'public' && !session) {
    navigate(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
    return;
  }
  const operatorName = session?.operatorId ? await operatorNameOf(session.operatorId) : undefined;
  if (controller.signal.aborted) return;
  replace(app, match?.page.bare ? null : header(match?.page, operatorName), main);
  if (!match) {
    document.title = `${t('notFound')} · BusFlow`;
    replace(main, h('section', { class: 'panel' }, h('h1', {}, t('notFound')), h('p', {}, h('a', { href: '/' }, t('back')))));
    return;
  }
  const { page, params } = match;
  document.title = `${page.title(params)} · BusFlow`;
  if (page.access === 'centre' && session?.role !== 'centre') {
    replace(main, h('section', { class: 'panel' }, h('p', { role: 'alert' }, t('forbidden'))));
    return;
  }
  const ctx: PageContext = {
    root: main,
    params,
    query: new URLSearchParams(location.search),
    session,
    operatorName,
    signal: controller.signal,
    every: (ms, fn) => every(controller.signal, ms, fn),
    navigate,
    config,
  };
  try {
    await page.mount(ctx);
  } catch (err) {
    if (!controller.signal.aborted) main.append(h('p', { class: 'error', role: 'alert' }, t('failed', { message: (err as Error).message })));
  }
}

function header(current: Page | undefined, operatorName: string | undefined): HTMLElement {
  const session = currentSession();
  const visible = pages.filter((p) => p.nav && (p.access === 'public' || (session && (p.access !== 'centre' || session.role === 'centre'))));
  return h(
    'header',
    { class: 'shell' },
    h('a', { class: 'skip', href: '#main' }, t('skip')),
    h('a', { class: 'brand', href: '/' }, 'BusFlow'),
    h(
      'nav',
      { 'aria-label': t('navLabel') },
      visible.map((p) => h('a', { href: p.path, 'aria-current': p === current ? 'page' : undefined }, t(`nav.${p.nav as NavKey}`))),
    ),
    h(
      'div',
      { class: 'tools' },
      h(
        'button',
        { type: 'button', class: 'lang', 'aria-label': t('switchLangLabel'), onclick: () => setLang(lang() === 'vi' ? 'en' : 'vi') },
        t('switchLang'),
      ),
      session
        ? [
            h('span', { class: 'who', 'data-testid': 'who' }, session.role === 'centre' ? t('centre') : (operatorName ?? session.operatorId)),
            h(
              'button',
              {
                type: 'button',
                onclick: () => {
                  signOut();
                  // On AWS the hosted UI keeps its own session: end it too, or the next sign-in skips the password.
                  if (config.auth.kind === 'cognito') {
                    const params = new URLSearchParams({ client_id: config.auth.clientId, logout_uri: `${location.origin}/` });
                    location.assign(`https://${config.auth.domain}/logout?${params}`);
                  } else navigate('/');
                },
              },
              t('signOut'),
            ),
          ]
        : h('a', { class: 'button', href: `/login?next=${encodeURIComponent(location.pathname)}` }, t('signIn')),
    ),
  );
}

/** The operator's name as the network names it (GTFS agency_name on its routes). */
async function operatorNameOf(operatorId: string): Promise<string | undefined> {
  if (!operatorNames.size) {
    try {
      const { items } = await api.get<{ items: { operator: { operatorId: string; name: string } }[] }>('/v1/routes');
      for (const r of items) operatorNames.set(r.operator.operatorId, r.operator.name);
    } catch {
      return undefined;
    }
  }
  return operatorNames.get(operatorId);
}

/** Runs `fn` now and then every `ms`, never two at once, until `signal` aborts. */
function every(signal: AbortSignal, ms: number, fn: () => Promise<void>): void {
  const run = async () => {
    if (signal.aborted) return;
    try {
      await fn();
    } catch (err) {
      if (!signal.aborted) console.warn('refresh failed', err);
    }
    if (!signal.aborted) setTimeout(() => void run(), ms);
  };
  void run();
}
