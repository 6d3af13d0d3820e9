import { t, term, formatTime } from '../lib/i18n.js';
import { get, post, del, getAll } from '../lib/api.js';
import { h, table, form, section, badge, dl, link, clear, announce, errorBlock, mount } from '../lib/ui.js';

const licences = ['TYPE1', 'TYPE2', 'REGISTERED_FI'];
const memberships = ['FULL', 'SUPPORTING', 'NONE'];

// Operator: every seller, and the registration form.
export async function list({ main }) {
  const data = await getAll('/v1/sellers');
  const tbl = table({
    caption: t('sellers.caption'),
    rowKey: (s) => s.id,
    columns: [
      { key: 'id', label: t('col.id'), num: true },
      { key: 'legalName', label: t('field.legalName'), render: (s) => link(`#/sellers/${s.id}`, s.legalName) },
      { key: 'corporateNumber', label: t('field.corporateNumber') },
      { key: 'licence', label: t('field.licence'), render: (s) => term(s.licence) },
      { key: 'membership', label: t('field.membership'), render: (s) => term(s.membership) },
      { key: 'status', label: t('col.status'), render: (s) => badge(s.status) },
      { key: 'statusEffectiveAt', label: t('col.since'), render: (s) => formatTime(s.statusEffectiveAt) },
    ],
    rows: data.items,
  });
  mount(main, h('h1', {}, t('sellers.title')), section(t('sellers.all'), tbl),
    section(t('sellers.register'), form({
      fields: [
        { name: 'legalName', label: t('field.legalName'), required: true },
        { name: 'corporateNumber', label: t('field.corporateNumber'), required: true, inputmode: 'numeric', hint: t('hint.corporateNumber') },
        { name: 'fsaRegistration', label: t('field.fsaRegistration'), required: true, hint: t('hint.fsaRegistration') },
        { name: 'licence', label: t('field.licence'), type: 'select', options: licences.map((v) => [v, term(v)]) },
        { name: 'membership', label: t('field.membership'), type: 'select', options: memberships.map((v) => [v, term(v)]) },
      ],
      submit: t('sellers.registerSubmit'),
      onSubmit: async (v) => {
        const s = await post('/v1/sellers', v);
        announce(t('sellers.registered', { name: s.legalName }));
        location.hash = `#/sellers/${s.id}`;
      },
    })));
}

// Operator: one seller, its status and its keys.
export async function detail({ main, params }) {
  const id = params[0];
  const s = await get(`/v1/sellers/${id}`);
  const keysBox = h('div');
  const secretBox = h('div', { 'aria-live': 'polite' });
  const loadKeys = async () => {
    const keys = await getAll(`/v1/sellers/${id}/keys`);
    clear(keysBox, table({
      caption: t('keys.caption'),
      rowKey: (k) => k.id,
      columns: [
        { key: 'id', label: t('col.keyId'), render: (k) => h('code', {}, k.id) },
        { key: 'name', label: t('field.name') },
        { key: 'createdAt', label: t('col.created'), render: (k) => formatTime(k.createdAt) },
        { key: 'revokedAt', label: t('col.status'), render: (k) => (k.revokedAt ? badge('REVOKED') : badge('ACTIVE')) },
        { key: 'actions', label: t('col.actions'), sort: false, render: (k) => (k.revokedAt ? '' : h('button', { type: 'button', class: 'danger',
          'aria-label': t('keys.revokeNamed', { id: k.id }),
          onclick: async (ev) => {
            if (!confirm(t('keys.confirmRevoke', { id: k.id }))) return;
            try { await del(`/v1/sellers/${id}/keys/${k.id}`); announce(t('keys.revoked')); await loadKeys(); } catch (err) { ev.target.after(errorBlock(err)); }
          } }, t('keys.revoke'))) },
      ],
      rows: keys.items,
    }));
  };
  const statusActions = [['suspend', 'SUSPENDED'], ['reinstate', 'ACTIVE'], ['revoke', 'REVOKED']];
  mount(main, 
    h('h1', {}, s.legalName, ' ', badge(s.status)),
    section(t('sellers.registration'), dl([
      [t('col.id'), s.id], [t('field.corporateNumber'), s.corporateNumber], [t('field.fsaRegistration'), s.fsaRegistration],
      [t('field.licence'), term(s.licence)], [t('field.membership'), term(s.membership)], [t('col.status'), badge(s.status)],
      [t('col.since'), formatTime(s.statusEffectiveAt)], [t('field.reason'), s.statusReason],
    ])),
    section(t('sellers.changeStatus'), form({
      fields: [
        { name: 'action', label: t('sellers.action'), type: 'select', options: statusActions.map(([a, st]) => [a, t(`sellers.${a}`)]) },
        { name: 'reason', label: t('field.reason') },
      ],
      submit: t('sellers.apply'),
      onSubmit: async (v) => {
        await post(`/v1/sellers/${id}/${v.action}`, { reason: v.reason });
        announce(t('saved'));
        detailAgain(main, params);
      },
    })),
    section(t('keys.title'), keysBox, secretBox, form({
      fields: [{ name: 'name', label: t('field.keyName'), required: true }],
      submit: t('keys.create'),
      onSubmit: async (v, f) => {
        const k = await post(`/v1/sellers/${id}/keys`, { name: v.name });
        clear(secretBox, newSecret(k));
        f.reset();
        await loadKeys();
      },
    })),
  );
  await loadKeys();
}

function detailAgain(main, params) {
  clear(main);
  detail({ main, params }).catch((err) => mount(main, errorBlock(err)));
}

// newSecret shows a key's secret once, with a copy button.
export function newSecret(k) {
  const out = h('output', { class: 'secret', 'data-secret': k.key }, k.key);
  return h('div', { class: 'notice', role: 'status' },
    h('p', {}, t('keys.shownOnce', { id: k.id })), out, ' ',
    h('button', { type: 'button', onclick: () => navigator.clipboard?.writeText(k.key).then(() => announce(t('keys.copied'))) }, t('keys.copy')));
}
