import { t } from '../lib/i18n.js';
import { get, getAll } from '../lib/api.js';
import { h, section, poller, mount } from '../lib/ui.js';
import { alertsTable } from './issuance.js';

// Compliance alerts: transfers the chain recorded into wallets the registry holds ineligible.
export async function page({ main, onCleanup }) {
  const data = await getAll('/v1/alerts');
  const tbl = alertsTable(data.items);
  mount(main, h('h1', {}, t('alerts.title')), section(t('alerts.all'), h('p', { class: 'hint' }, t('alerts.intro')), tbl));
  const p = poller(async () => tbl.update((await getAll('/v1/alerts')).items), 5000);
  onCleanup(() => p.stop());
}
