/**
 * Every page of the console, in navigation order. To add one: write `pages/<name>.ts` exporting a `Page`
 * (see `page.ts`: path, access, nav key, title, mount), keep its strings in it with `defineMessages`, and list
 * it here. The first page whose path matches the address is shown.
 */
import type { Page } from '../page.js';
import { boardPage } from './board.js';
import { complaintsPage } from './complaints.js';
import { loginPage } from './login.js';
import { mapPage } from './map.js';
import { ordersPage } from './orders.js';
import { qualityPage } from './quality.js';
import { reconciliationPage } from './reconciliation.js';
import { settlementPage } from './settlement.js';

export const pages: readonly Page[] = [mapPage, ordersPage, reconciliationPage, settlementPage, qualityPage, complaintsPage, boardPage, loginPage];
