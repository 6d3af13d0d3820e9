import { t, term, formatTime } from '../lib/i18n.js';
import { get, post, del, getAll } from '../lib/api.js';
import { h, table, form, section, badge, clear, announce, errorBlock, mount } from '../lib/ui.js';
import { newSecret } from './sellers.js';

// Operator: operator and reader keys (seller keys live on each seller's page).
export async function page({ main }) {
  const box = h('div');
  const secretBox = h('div', { 'aria-live': 'polite' });
  const load = async () => {
    const keys = await getAll('/v1/keys');
    clear(box, table({
      caption: t('keys.caption'),
      rowKey: (k) => k.id,
      columns: [
        { key: 'id', label: t('col.keyId'), render: (k) => h('code', {}, k.id) },
        { key: 'role', label: t('field.role'), render: (k) => term(k.role) },
        { key: 'sellerId', label: t('col.seller'), num: true },
        { key: 'name', label: t('field.name') },
        { key: 'createdAt', label: t('col.created'), render: (k) => formatTime(k.createdAt) },
        { key: 'revokedAt', label: t('col.status'), render: (k) => (k.revokedAt ? badge('REVOKED') : badge('ACTIVE')) },
        { key: 'actions', label: t('col.actions'), sort: false, render: (k) => (k.revokedAt || k.sellerId ? '' : h('button', {
          type: 'button', class: 'danger', 'aria-label': t('keys.revokeNamed', { id: k.id }),
          onclick: async (ev) => {
            if (!confirm(t('keys.confirmRevoke', { id: k.id }))) return;
            try { await del(`/v1/keys/${k.id}`); announce(t('keys.revoked')); await load(); } catch (err) { ev.target.after(errorBlock(err)); }
          } }, t('keys.revoke'))) },
      ],
      rows: keys.items,
    }));
  };
  mount(main, h('h1', {}, t('keys.title')), section(t('keys.all'), box), section(t('keys.new'), secretBox, form({
    fields: [
      { name: 'role', label: t('field.role'), type: 'select', options: [['reader', term('reader')], ['operator', term('operator')]] },
      { name: 'name', label: t('field.keyName'), required: true },
    ],
    submit: t('keys.create'),
    onSubmit: async (v, f) => {
      const k = await post('/v1/keys', v);
      clear(secretBox, newSecret(k));
      f.reset();
      await load();
    },
  })));
  await load();
}
