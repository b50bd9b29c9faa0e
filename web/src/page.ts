/**
 * What a page of the console is. One file per page under `pages/`, exporting a `Page`, listed once in
 * `pages/index.ts`; the router does the rest (matching, sign-in, navigation, polling stopped on leave).
 *
 *   export const ordersPage: Page = {
 *     path: '/orders',                          // `:name` segments become ctx.params.name
 *     access: 'signedIn',                       // 'public' | 'signedIn' | 'centre'
 *     nav: 'orders',                            // shows in the navigation under shell's label `nav.orders`
 *     title: () => t('title'),
 *     mount(ctx) { ctx.root.append(h('h1', {}, t('title'))); ctx.every(5000, refresh); },
 *   };
 */
import type { Session } from './auth.js';
import type { ConsoleConfig } from './config.js';

export interface PageContext {
  /** The page's own element: fill it. */
  root: HTMLElement;
  /** `:name` segments of the path, decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
  /** The signed-in user, when there is one (always on a page that is not public). */
  session: Session | undefined;
  /** The operator's display name (from the network's routes) for an operator session. */
  operatorName: string | undefined;
  /** Aborted when the user leaves the page (or switches language): pass it to fetches. */
  signal: AbortSignal;
  /** Runs `fn` now and every `ms` until the page is left; a run still going is not overlapped. */
  every(ms: number, fn: () => Promise<void>): void;
  navigate(path: string): void;
  /** The server's settings (config.json): tiles, how to sign in. */
  config: ConsoleConfig;
}

export interface Page {
  path: string;
  access: 'public' | 'signedIn' | 'centre';
  /** The navigation entry's key (see shell.ts); absent: not in the navigation. */
  nav?: NavKey;
  /** Full screen, without the shell's header (the stop board on a TV). */
  bare?: boolean;
  title(params: Record<string, string>): string;
  mount(ctx: PageContext): void | Promise<void>;
}

export type NavKey = 'map' | 'orders' | 'reconciliation' | 'quality' | 'complaints';
