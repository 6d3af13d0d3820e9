// Operator: the nodes that run chain work, their heartbeats and the
// issuances whose lease each holds.
import { t, formatTime } from '../lib/i18n.js';
import { get } from '../lib/api.js';
import { h, table, section, badge, clear, dl, errorBlock, mount, poller } from '../lib/ui.js';
import { unavailable } from './controls.js';

export async function page({ main, onCleanup }) {
  const box = h('div', { 'aria-live': 'polite' });
  const leases = (ls) => (ls || []).map((l) => h('span', { class: 'lease' }, `#${l.issuanceId} (epoch ${l.epoch}, ${t('nodes.until', { at: formatTime(l.expiresAt) })}) `));
  const load = async () => {
    try {
      const b = await get('/v1/nodes');
      clear(box, dl([[t('nodes.self'), h('code', {}, b.self)], [t('nodes.shared'), b.shared ? t('nodes.yes') : t('nodes.no')], [t('nodes.now'), formatTime(b.now)]]),
        table({ caption: t('nodes.caption'), rowKey: (n) => n.id, rows: b.nodes || [], columns: [
          { key: 'id', label: t('col.id'), render: (n) => h('code', {}, n.id) },
          { key: 'live', label: t('col.status'), render: (n) => badge(n.live ? 'ACTIVE' : 'FAILED', n.live ? t('nodes.live') : t('nodes.gone')) },
          { key: 'startedAt', label: t('nodes.started'), render: (n) => formatTime(n.startedAt) },
          { key: 'heartbeatAt', label: t('nodes.heartbeat'), render: (n) => formatTime(n.heartbeatAt) },
          { key: 'leases', label: t('nodes.leases'), value: (n) => (n.leases || []).length, render: (n) => leases(n.leases) },
        ] }),
        (b.unowned || []).length ? h('p', {}, t('nodes.unowned'), ' ', leases(b.unowned)) : null);
    } catch (err) {
      clear(box, unavailable(err) ? h('p', { class: 'hint' }, t('common.unavailable'), ' ', h('small', { lang: 'en' }, err.message)) : errorBlock(err));
    }
  };
  mount(main, h('h1', {}, t('nodes.title')), section(t('nodes.board'), box));
  await load();
  const p = poller(load, 5000);
  onCleanup(() => p.stop());
}
