import { t, formatTime } from '../lib/i18n.js';
import { get, query } from '../lib/api.js';
import { h, table, section, clear, errorBlock, mount } from '../lib/ui.js';

// The audit log with filters (entity, entity id, action, seller), paged.
export async function page({ main, query: q, session }) {
  const filters = { entity: q.get('entity') || '', entityId: q.get('entityId') || '', action: q.get('action') || '', sellerId: q.get('sellerId') || '' };
  const box = h('div');
  const cursors = [''];
  let at = 0;
  const load = async () => {
    try {
      const x = await get(`/v1/audit${query({ ...filters, after: cursors[at], limit: 50 })}`);
      if (x.next && cursors.length === at + 1) cursors.push(String(x.next));
      clear(box, table({ caption: t('audit.caption'), rowKey: (r) => r.id, rows: x.items, columns: [
        { key: 'id', label: t('col.id'), num: true },
        { key: 'at', label: t('col.at'), render: (r) => formatTime(r.at) },
        { key: 'actor', label: t('col.actor'), render: (r) => h('code', {}, r.actor) },
        { key: 'actorRole', label: t('field.role') },
        { key: 'sellerId', label: t('col.seller'), num: true },
        { key: 'action', label: t('field.action') },
        { key: 'entity', label: t('field.entity') },
        { key: 'entityId', label: t('field.entityId') },
        { key: 'detail', label: t('col.detail'), sort: false, render: (r) => h('code', { class: 'detail-json' }, r.detail ? JSON.stringify(r.detail) : '') },
      ] }), h('nav', { class: 'pager', 'aria-label': t('audit.pages') },
        h('button', { type: 'button', disabled: at === 0, onclick: () => { at -= 1; load(); } }, t('page.prev')),
        h('span', {}, t('page.n', { n: at + 1 })),
        h('button', { type: 'button', disabled: !x.next, onclick: () => { at += 1; load(); } }, t('page.next'))));
    } catch (err) { clear(box, errorBlock(err)); }
  };
  const f = h('form', { class: 'filters', role: 'search', onsubmit: (ev) => {
    ev.preventDefault();
    const e = ev.target.elements;
    location.hash = `#/audit${query({ entity: e.entity.value.trim(), entityId: e.entityId.value.trim(), action: e.action.value.trim(), sellerId: e.sellerId ? e.sellerId.value.trim() : '' })}`;
  } },
  h('label', { for: 'a-entity' }, t('field.entity')), h('input', { id: 'a-entity', name: 'entity', value: filters.entity, placeholder: 'issuance' }),
  h('label', { for: 'a-entity-id' }, t('field.entityId')), h('input', { id: 'a-entity-id', name: 'entityId', value: filters.entityId }),
  h('label', { for: 'a-action' }, t('field.action')), h('input', { id: 'a-action', name: 'action', value: filters.action }),
  session.role === 'operator' ? [h('label', { for: 'a-seller' }, t('col.seller')), h('input', { id: 'a-seller', name: 'sellerId', inputmode: 'numeric', value: filters.sellerId })] : null,
  h('button', { type: 'submit' }, t('filter.apply')));
  mount(main, h('h1', {}, t('audit.title')), section(t('audit.log'), f, box));
  await load();
}
