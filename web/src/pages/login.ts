/**
 * Sign in. Locally: "Đăng nhập (thử nghiệm)", a token for the centre or an operator from the local issuer. On
 * AWS: Cognito's hosted UI, which sends the browser back here with the token.
 */
import { api } from '../api.js';
import { cognitoSignIn, currentSession, devSignIn } from '../auth.js';
import { h } from '../dom.js';
import { defineMessages } from '../i18n.js';
import type { Page } from '../page.js';

const t = defineMessages({
  vi: {
    title: 'Đăng nhập',
    devTitle: 'Đăng nhập (thử nghiệm)',
    devNote: 'Chỉ có trên máy chạy thử: nhận một mã truy cập từ bộ cấp mã cục bộ.',
    role: 'Vai trò',
    centre: 'Trung tâm quản lý',
    operator: 'Doanh nghiệp vận tải',
    operatorId: 'Doanh nghiệp',
    submit: 'Đăng nhập',
    cognito: 'Đăng nhập bằng tài khoản BusFlow',
    signedIn: 'Đã đăng nhập.',
    failed: 'Không đăng nhập được: {message}',
  },
  en: {
    title: 'Sign in',
    devTitle: 'Sign in (test)',
    devNote: 'Local stack only: a token from the local issuer.',
    role: 'Role',
    centre: 'Transit centre',
    operator: 'Bus operator',
    operatorId: 'Operator',
    submit: 'Sign in',
    cognito: 'Sign in with your BusFlow account',
    signedIn: 'Signed in.',
    failed: 'Could not sign in: {message}',
  },
});

export const loginPage: Page = {
  path: '/login',
  access: 'public',
  title: () => t('title'),
  async mount(ctx) {
    const next = safeNext(ctx.query.get('next'));
    if (ctx.config.auth.kind === 'cognito') {
      if (currentSession()) {
        ctx.navigate(next);
        return;
      }
      const auth = ctx.config.auth;
      ctx.root.append(
        h(
          'section',
          { class: 'panel narrow' },
          h('h1', {}, t('title')),
          h('button', { type: 'button', onclick: () => cognitoSignIn(auth, next) }, t('cognito')),
        ),
      );
      return;
    }
    const operators = await operatorsOfNetwork(ctx.signal);
    const status = h('p', { role: 'status', class: 'status' });
    const operatorSelect = h(
      'select',
      { id: 'login-operator', name: 'operatorId' },
      operators.map(([id, name]) => h('option', { value: id }, `${name} (${id})`)),
    );
    const form = h(
      'form',
      {
        class: 'panel narrow',
        onsubmit: (ev) => {
          ev.preventDefault();
          const data = new FormData(form);
          const role = data.get('role') === 'operator' ? 'operator' : 'centre';
          devSignIn(role, role === 'operator' ? String(data.get('operatorId')) : undefined).then(
            () => ctx.navigate(next),
            (err: Error) => {
              status.textContent = t('failed', { message: err.message });
            },
          );
        },
      },
      h('h1', {}, t('devTitle')),
      h('p', { class: 'muted' }, t('devNote')),
      h(
        'fieldset',
        {},
        h('legend', {}, t('role')),
        h('label', { class: 'choice' }, h('input', { type: 'radio', name: 'role', value: 'centre', checked: true }), t('centre')),
        h('label', { class: 'choice' }, h('input', { type: 'radio', name: 'role', value: 'operator' }), t('operator')),
      ),
      h('label', { for: 'login-operator' }, t('operatorId')),
      operatorSelect,
      h('button', { type: 'submit' }, t('submit')),
      status,
    );
    ctx.root.append(form);
  },
};

/** Only a path of this console (never another site) after sign-in. */
function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

async function operatorsOfNetwork(signal: AbortSignal): Promise<[string, string][]> {
  const { items } = await api.get<{ items: { operator: { operatorId: string; name: string } }[] }>('/v1/routes', undefined, signal);
  return [...new Map(items.map((r) => [r.operator.operatorId, r.operator.name])).entries()].sort((a, b) => a[0].localeCompare(b[0]));
}
