import { t, term, formatTime } from '../lib/i18n.js';
import { getAll, query } from '../lib/api.js';
import { h, table, badge, short, clear, errorBlock } from '../lib/ui.js';

// The filters of GET /v1/issuances/{id}/operations, in the API's order
// (registry.OperationKinds and OperationStatuses; catalogue_test.go checks).
export const operationKinds = ['DEPLOY', 'MINT', 'BATCH_MINT', 'FORCED_TRANSFER', 'REDEEM', 'FREEZE', 'UNFREEZE', 'PAUSE', 'UNPAUSE',
  'APPROVE_TRANSFER', 'REVOKE_APPROVAL', 'RECOVER', 'ADMIN_HANDOVER', 'SET_TERMS', 'SET_COUNTRY_RULE'];
export const operationStatuses = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED'];

// operationsView lists every operation of an issuance, whoever started it
// (this tab, another browser, a script on the API), newest first, filtered by
// status and kind. refresh() re-reads the list, as the page's poller does for
// the whitelist, and redraws only when something changed; onSucceeded runs
// when an operation is seen to succeed, since that may change the issuance
// (its token, its paused flag, its terms).
export function operationsView(id, onSucceeded) {
  let filters = { status: '', kind: '' };
  let sig = '';
  let succeeded = null; // ids seen SUCCEEDED under the current filters; null before the first read
  const count = h('p', { class: 'hint' });
  const errBox = h('div');
  const tbl = table({ caption: t('ops.caption'), rowKey: (o) => o.id, empty: t('ops.none'), rows: [], columns: [
    { key: 'id', label: t('col.id'), num: true },
    { key: 'kind', label: t('col.kind'), render: (o) => term(o.kind) },
    { key: 'status', label: t('col.status'), render: (o) => badge(o.status) },
    { key: 'request', label: t('col.request'), sort: false, render: (o) => kv(o.request) },
    { key: 'result', label: t('col.result'), sort: false, render: (o) => [kv(o.result), o.error ? h('p', { class: 'bad' }, o.error) : null] },
    { key: 'createdBy', label: t('col.by') },
    { key: 'createdAt', label: t('col.created'), render: (o) => formatTime(o.createdAt) },
    { key: 'updatedAt', label: t('col.updated'), render: (o) => formatTime(o.updatedAt) },
  ] });
  const select = (name, values) => h('select', { id: `ops-${name}`, name }, h('option', { value: '' }, t('filter.any')),
    values.map((v) => h('option', { value: v }, term(v))));
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': t('ops.filters'), onsubmit: async (ev) => {
    ev.preventDefault();
    filters = { status: ev.target.elements.status.value, kind: ev.target.elements.kind.value };
    sig = ''; succeeded = null;
    await refresh();
  } }, h('label', { for: 'ops-status' }, t('col.status')), select('status', operationStatuses),
  h('label', { for: 'ops-kind' }, t('col.kind')), select('kind', operationKinds),
  h('button', { type: 'submit' }, t('filter.apply')));

  const refresh = async () => {
    const asked = filters;
    let x;
    try {
      x = await getAll(`/v1/issuances/${id}/operations${query(asked)}`);
    } catch (err) {
      if (asked === filters) { clear(errBox, errorBlock(err)); sig = ''; }
      return;
    }
    if (asked !== filters) return; // the filters changed while this read was under way
    clear(errBox);
    const s = JSON.stringify(x);
    if (s === sig) return;
    sig = s;
    tbl.update(x.items.slice().reverse());
    clear(count, x.truncated ? t('ops.truncated', { n: x.items.length }) : t('ops.count', { n: x.items.length }));
    const now = new Set(x.items.filter((o) => o.status === 'SUCCEEDED').map((o) => o.id));
    const fresh = succeeded !== null && [...now].some((o) => !succeeded.has(o));
    succeeded = now;
    if (fresh) await onSucceeded();
  };
  const box = h('div', { class: 'operations' }, form, errBox, h('div', { 'aria-live': 'polite' }, count, tbl));
  box.refresh = refresh;
  return box;
}

// kv shows an operation's request or result: names and values, long hex shortened.
export function kv(m) {
  if (!m) return '';
  const entries = Object.entries(m);
  if (!entries.length) return '';
  return h('dl', { class: 'kv' }, entries.map(([k, v]) => [h('dt', {}, k), h('dd', {}, /^0x[0-9a-fA-F]{20,}$/.test(v) ? short(v) : v)]));
}
