// Webhook subscriptions: where the node posts events (signed with the
// subscription's secret, shown once), and each delivery with its attempts.
import { t, formatTime } from '../lib/i18n.js';
import { get, post, del, getAll } from '../lib/api.js';
import { h, table, form, section, badge, clear, announce, errorBlock, mount, poller } from '../lib/ui.js';
import { unavailable } from './controls.js';

export const eventTypes = ['whitelist.confirmed', 'whitelist.failed', 'operation.finished', 'transfer.mirrored', 'compliance.alert',
  'approval.requested', 'approval.decided', 'term_change.applied', 'chain_work.halted'];

export async function page({ main, session, onCleanup }) {
  const box = h('div');
  const secretBox = h('div', { 'aria-live': 'polite' });
  const deliveries = h('div', { 'aria-live': 'polite' });
  let watching = null;
  const showDeliveries = async (sub) => {
    watching = sub;
    try {
      const x = await get(`/v1/webhooks/${sub.id}/deliveries?limit=100`);
      clear(deliveries, h('h3', {}, t('webhooks.deliveriesOf', { url: sub.url })), table({ caption: t('webhooks.deliveries'), rowKey: (d) => d.id,
        empty: t('webhooks.noDeliveries'), rows: x.items, columns: [
          { key: 'id', label: t('col.id'), num: true },
          { key: 'eventType', label: t('webhooks.event'), render: (d) => h('code', {}, d.eventType) },
          { key: 'issuanceId', label: t('col.issuance'), num: true },
          { key: 'status', label: t('col.status'), render: (d) => badge(d.status) },
          { key: 'attempts', label: t('webhooks.attempts'), num: true },
          { key: 'last', label: t('webhooks.lastAttempt'), sort: false, render: (d) => {
            const a = (d.log || [])[d.log.length - 1];
            return a ? `${formatTime(a.at)} ${a.statusCode || ''} ${a.error || ''} (${a.durationMs} ms)` : '';
          } },
          { key: 'nextAttemptAt', label: t('webhooks.next'), render: (d) => formatTime(d.nextAttemptAt) },
          { key: 'actions', label: t('col.actions'), sort: false, render: (d) => (d.status === 'FAILED' ? h('button', { type: 'button',
            'aria-label': t('webhooks.redeliverNamed', { id: d.id }), onclick: async (ev) => {
              try { await post(`/v1/webhooks/${sub.id}/deliveries/${d.id}/redeliver`, {}); announce(t('saved')); await showDeliveries(sub); } catch (err) { ev.target.after(errorBlock(err)); }
            } }, t('webhooks.redeliver')) : '') },
        ] }));
    } catch (err) { clear(deliveries, errorBlock(err)); }
  };
  const load = async () => {
    try {
      const x = await getAll('/v1/webhooks');
      clear(box, table({ caption: t('webhooks.caption'), rowKey: (s) => s.id, empty: t('webhooks.none'), rows: x.items, columns: [
        { key: 'id', label: t('col.id'), num: true },
        { key: 'url', label: t('field.url'), render: (s) => h('code', {}, s.url) },
        { key: 'sellerId', label: t('col.seller'), num: true },
        { key: 'eventTypes', label: t('field.eventTypes'), value: (s) => s.eventTypes.join(' '), render: (s) => s.eventTypes.map((e) => [h('code', {}, e), ' ']) },
        { key: 'active', label: t('col.status'), render: (s) => badge(s.active ? 'ACTIVE' : 'REVOKED') },
        { key: 'createdAt', label: t('col.created'), render: (s) => formatTime(s.createdAt) },
        { key: 'actions', label: t('col.actions'), sort: false, render: (s) => h('span', { class: 'row-actions' },
          h('button', { type: 'button', 'aria-label': t('webhooks.showNamed', { id: s.id }), onclick: () => showDeliveries(s) }, t('webhooks.show')), ' ',
          h('button', { type: 'button', class: 'danger', 'aria-label': t('webhooks.deleteNamed', { id: s.id }), onclick: async (ev) => {
            if (!confirm(t('webhooks.confirmDelete', { url: s.url }))) return;
            try { await del(`/v1/webhooks/${s.id}`); announce(t('saved')); await load(); } catch (err) { ev.target.after(errorBlock(err)); }
          } }, t('webhooks.delete'))) },
      ] }));
    } catch (err) {
      clear(box, unavailable(err) ? h('p', { class: 'hint' }, t('common.unavailable'), ' ', h('small', { lang: 'en' }, err.message)) : errorBlock(err));
    }
  };
  const f = form({
    fields: [
      session.role === 'operator' ? { name: 'sellerId', label: t('col.seller'), type: 'number', required: true } : null,
      { name: 'url', label: t('field.url'), required: true, placeholder: 'https://', hint: t('hint.url') },
      ...eventTypes.map((e) => ({ name: `event.${e}`, label: e, type: 'checkbox', value: true })),
    ].filter(Boolean),
    submit: t('webhooks.create'),
    onSubmit: async (v, el) => {
      const body = { url: v.url, eventTypes: eventTypes.filter((e) => v[`event.${e}`]) };
      if (v.sellerId) body.sellerId = Number(v.sellerId);
      const s = await post('/v1/webhooks', body);
      clear(secretBox, h('div', { class: 'notice', role: 'status' }, h('p', {}, t('webhooks.secretOnce')),
        h('output', { class: 'secret', 'data-secret': s.secret }, s.secret)));
      el.elements.url.value = '';
      await load();
    },
  });
  mount(main, h('h1', {}, t('webhooks.title')), section(t('webhooks.all'), box, deliveries), section(t('webhooks.new'), secretBox, f));
  await load();
  const p = poller(async () => { if (watching) await showDeliveries(watching); }, 5000);
  onCleanup(() => p.stop());
}
