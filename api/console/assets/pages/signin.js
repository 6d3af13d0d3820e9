import { t } from '../lib/i18n.js';
import { request } from '../lib/api.js';
import { h, form, mount } from '../lib/ui.js';

// The sign-in page: an API key opens a session; the key itself stays on the server.
export function page({ main, onSignedIn }) {
  const ended = sessionStorage.getItem('stonode.ended');
  sessionStorage.removeItem('stonode.ended');
  mount(main, 
    h('h1', {}, t('signin.title')),
    h('p', {}, t('signin.intro')),
    ended ? h('p', { class: 'notice', role: 'status' }, t('signin.ended')) : null,
    form({
      className: 'narrow',
      fields: [{ name: 'key', label: t('signin.key'), type: 'password', required: true, autocomplete: 'current-password',
        hint: t('signin.keyHint') }],
      submit: t('signin.submit'),
      onSubmit: async (v) => onSignedIn(await request('POST', '/console/session', { key: v.key })),
    }));
}
