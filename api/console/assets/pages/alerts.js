import { t } from '../lib/i18n.js';
import { get } from '../lib/api.js';
import { h, section, poller, mount } from '../lib/ui.js';
import { alertsTable } from './issuance.js';

// Compliance alerts: transfers the chain recorded into wallets the registry holds ineligible.
export async function page({ main, onCleanup }) {
  const data = await get('/v1/alerts?limit=500');
  const tbl = alertsTable(data.items);
  mount(main, h('h1', {}, t('alerts.title')), section(t('alerts.all'), h('p', { class: 'hint' }, t('alerts.intro')), tbl));
  const p = poller(async () => tbl.update((await get('/v1/alerts?limit=500')).items), 5000);
  onCleanup(() => p.stop());
}
