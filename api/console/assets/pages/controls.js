// The issuance page's controls beyond the token: transfer approvals (譲渡承認),
// holder locks (差押え, 質権, 相続), and term changes with their effective dates.
import { t, term, formatTime, formatDate } from '../lib/i18n.js';
import { get, post } from '../lib/api.js';
import { h, table, form, badge, clear, short, toISO, announce, errorBlock } from '../lib/ui.js';

// unavailable reports an API that this node does not offer (no such route,
// or a service it runs without), shown as a note rather than an error.
export function unavailable(err) {
  return (err.status === 404 && /no such route/.test(err.message)) || err.status === 503;
}

function loadInto(box, load) {
  return async () => {
    try { await load(); } catch (err) {
      clear(box, unavailable(err) ? h('p', { class: 'hint' }, t('common.unavailable'), ' ', h('small', { lang: 'en' }, err.message)) : errorBlock(err));
    }
  };
}

// decideButtons: approve / reject / cancel a transfer approval with a reason.
function decideButtons(id, a, reload) {
  if (a.status !== 'REQUESTED') return '';
  const act = (what) => async (ev) => {
    const reason = prompt(t('approvals.reasonPrompt'), '');
    if (reason === null) return;
    try {
      await post(`/v1/issuances/${id}/transfer-approvals/${a.id}/${what}`, { reason });
      announce(t('saved')); await reload();
    } catch (err) { ev.target.after(errorBlock(err)); }
  };
  return h('span', { class: 'row-actions' },
    h('button', { type: 'button', onclick: act('approve'), 'aria-label': t('approvals.approveNamed', { id: a.id }) }, t('approvals.approve')), ' ',
    h('button', { type: 'button', class: 'danger', onclick: act('reject'), 'aria-label': t('approvals.rejectNamed', { id: a.id }) }, t('approvals.reject')), ' ',
    h('button', { type: 'button', onclick: act('cancel'), 'aria-label': t('approvals.cancelNamed', { id: a.id }) }, t('approvals.cancel')));
}

export function approvalsView(id) {
  const box = h('div', { 'aria-live': 'polite' });
  let sig = '';
  const tbl = table({ caption: t('approvals.caption'), rowKey: (a) => a.id, empty: t('approvals.none'), rows: [], columns: [
    { key: 'id', label: t('col.id'), num: true },
    { key: 'status', label: t('col.status'), render: (a) => badge(a.status) },
    { key: 'from', label: t('field.from'), render: (a) => short(a.from) },
    { key: 'to', label: t('field.to'), render: (a) => short(a.to) },
    { key: 'amount', label: t('field.amount'), num: true },
    { key: 'expiresAt', label: t('field.expiresAt'), render: (a) => formatTime(a.expiresAt) },
    { key: 'note', label: t('field.note') },
    { key: 'decidedBy', label: t('col.decided'), render: (a) => (a.decidedAt ? [formatTime(a.decidedAt), ' ', h('code', {}, a.decidedBy), a.reason ? ` — ${a.reason}` : ''] : '') },
    { key: 'operationId', label: t('col.operation'), num: true },
    { key: 'actions', label: t('col.actions'), sort: false, render: (a) => decideButtons(id, a, refresh) },
  ] });
  const refresh = loadInto(box, async () => {
    const x = await get(`/v1/issuances/${id}/transfer-approvals`);
    const s = JSON.stringify(x.items);
    if (s !== sig) { sig = s; tbl.update(x.items); }
    if (!box.contains(tbl)) clear(box, tbl);
  });
  const f = form({
    legend: t('approvals.request'),
    fields: [
      { name: 'from', label: t('field.from'), required: true, placeholder: '0x…' },
      { name: 'to', label: t('field.to'), required: true, placeholder: '0x…' },
      { name: 'amount', label: t('field.amount'), required: true, inputmode: 'numeric' },
      { name: 'expiresAt', label: t('field.expiresAt'), type: 'date' },
      { name: 'note', label: t('field.note') },
    ],
    submit: t('approvals.requestSubmit'),
    onSubmit: async (v) => {
      await post(`/v1/issuances/${id}/transfer-approvals`, { from: v.from, to: v.to, amount: v.amount, expiresAt: toISO(v.expiresAt), note: v.note || undefined });
      announce(t('saved')); sig = ''; await refresh();
    },
  });
  const view = h('div', {}, box, f);
  view.refresh = refresh;
  return view;
}

const lockReasons = ['GARNISHMENT', 'PLEDGE', 'INHERITANCE', 'COURT_ORDER', 'OTHER'];

export function locksView(id) {
  const box = h('div', { 'aria-live': 'polite' });
  let sig = '';
  const tbl = table({ caption: t('locks.caption'), rowKey: (l) => l.id, empty: t('locks.none'), rows: [], columns: [
    { key: 'id', label: t('col.id'), num: true },
    { key: 'status', label: t('col.status'), render: (l) => badge(l.status) },
    { key: 'wallet', label: t('col.wallet'), render: (l) => short(l.wallet) },
    { key: 'amount', label: t('field.amount'), num: true },
    { key: 'reason', label: t('field.lockReason'), render: (l) => term(l.reason) },
    { key: 'reference', label: t('field.reference') },
    { key: 'releaseAt', label: t('field.releaseAt'), render: (l) => formatDate(l.releaseAt) },
    { key: 'createdAt', label: t('col.created'), render: (l) => formatTime(l.createdAt) },
    { key: 'actions', label: t('col.actions'), sort: false, render: (l) => (l.status === 'ACTIVE' ? h('button', { type: 'button',
      'aria-label': t('locks.releaseNamed', { id: l.id }), onclick: async (ev) => {
        if (!confirm(t('locks.confirmRelease', { id: l.id }))) return;
        try { await post(`/v1/issuances/${id}/locks/${l.id}/release`, {}); announce(t('saved')); await refresh(); } catch (err) { ev.target.after(errorBlock(err)); }
      } }, t('locks.release')) : '') },
  ] });
  const refresh = loadInto(box, async () => {
    const x = await get(`/v1/issuances/${id}/locks`);
    const s = JSON.stringify(x.items);
    if (s !== sig) { sig = s; tbl.update(x.items); }
    if (!box.contains(tbl)) clear(box, tbl);
  });
  const f = form({
    legend: t('locks.new'),
    fields: [
      { name: 'wallet', label: t('field.wallet'), required: true, placeholder: '0x…' },
      { name: 'amount', label: t('field.amount'), required: true, inputmode: 'numeric' },
      { name: 'reason', label: t('field.lockReason'), type: 'select', options: lockReasons.map((r) => [r, term(r)]) },
      { name: 'reference', label: t('field.reference'), hint: t('hint.reference') },
      { name: 'releaseAt', label: t('field.releaseAt'), type: 'date' },
    ],
    submit: t('locks.submit'),
    onSubmit: async (v) => {
      await post(`/v1/issuances/${id}/locks`, { wallet: v.wallet, amount: v.amount, reason: v.reason, reference: v.reference, releaseAt: toISO(v.releaseAt) });
      announce(t('saved')); sig = ''; await refresh();
    },
  });
  const view = h('div', {}, box, f);
  view.refresh = refresh;
  return view;
}

// A term change: only the terms filled in change; "clear" empties a term.
const termFields = [
  ['lockupEnd', 'date'], ['maxHolders', 'number'], ['supplyCap', 'text'], ['offeringStart', 'date'], ['offeringEnd', 'date'],
  ['allowedCountries', 'text'], ['deniedCountries', 'text'],
];

function describeTerms(c) {
  if (!c) return '';
  return h('dl', { class: 'kv' }, Object.entries(c).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [
    h('dt', {}, t(`field.${k}`)), h('dd', {}, Array.isArray(v) ? v.join(', ') || '—' : /T\d\d:/.test(String(v)) ? formatDate(v) : String(v))]));
}

export function termsView(id) {
  const box = h('div', { 'aria-live': 'polite' });
  let sig = '';
  const tbl = table({ caption: t('terms.caption'), rowKey: (c) => c.id, empty: t('terms.none'), rows: [], columns: [
    { key: 'id', label: t('col.id'), num: true },
    { key: 'status', label: t('col.status'), render: (c) => [badge(c.status), c.chainStatus ? [' ', badge(c.chainStatus)] : null] },
    { key: 'effectiveAt', label: t('field.effectiveAt'), render: (c) => formatTime(c.effectiveAt) },
    { key: 'changes', label: t('terms.changes'), sort: false, render: (c) => [describeTerms(c.changes), c.changes && c.changes.clear ? h('p', {}, t('terms.cleared'), ' ', c.changes.clear.join(', ')) : null] },
    { key: 'previous', label: t('terms.previous'), sort: false, render: (c) => describeTerms(c.previous) },
    { key: 'reason', label: t('field.reason'), render: (c) => [c.reason, c.error ? h('p', { class: 'bad' }, c.error) : null] },
    { key: 'operationId', label: t('col.operation'), num: true },
    { key: 'actions', label: t('col.actions'), sort: false, render: (c) => (c.status === 'SCHEDULED' ? h('button', { type: 'button', class: 'danger',
      'aria-label': t('terms.cancelNamed', { id: c.id }), onclick: async (ev) => {
        const reason = prompt(t('approvals.reasonPrompt'), '');
        if (reason === null) return;
        try { await post(`/v1/issuances/${id}/term-changes/${c.id}/cancel`, { reason }); announce(t('saved')); await refresh(); } catch (err) { ev.target.after(errorBlock(err)); }
      } }, t('terms.cancel')) : '') },
  ] });
  const refresh = loadInto(box, async () => {
    const x = await get(`/v1/issuances/${id}/term-changes?limit=100`);
    const s = JSON.stringify(x.items);
    if (s !== sig) { sig = s; tbl.update(x.items); }
    if (!box.contains(tbl)) clear(box, tbl);
  });
  const f = form({
    legend: t('terms.new'),
    fields: [
      ...termFields.map(([name, type]) => ({ name: `changes.${name}`, label: t(`field.${name}`), type, hint: name.endsWith('Countries') ? t('hint.countries') : undefined })),
      { name: 'clear', label: t('terms.clear'), hint: t('hint.clear') },
      { name: 'effectiveAt', label: t('field.effectiveAt'), type: 'datetime-local', hint: t('hint.effectiveAt') },
      { name: 'reason', label: t('field.reason'), required: true },
    ],
    submit: t('terms.submit'),
    onSubmit: async (v) => {
      const changes = {};
      for (const [name, type] of termFields) {
        const x = v[`changes.${name}`];
        if (x === '') continue;
        if (type === 'date') changes[name] = toISO(x);
        else if (type === 'number') changes[name] = Number(x);
        else if (name.endsWith('Countries')) changes[name] = x.split(/[\s,]+/).filter(Boolean).map((c) => c.toUpperCase());
        else changes[name] = x;
      }
      if (v.clear) changes.clear = v.clear.split(/[\s,]+/).filter(Boolean);
      await post(`/v1/issuances/${id}/terms`, { changes, effectiveAt: toISO(v.effectiveAt), reason: v.reason });
      announce(t('saved')); sig = ''; await refresh();
    },
  });
  const view = h('div', {}, box, f);
  view.refresh = refresh;
  return view;
}


// reconcileView compares the chain's whitelist registry with the registry's
// records (and repairs drift on request); haltsView shows why chain work
// stopped and retires the deployment, the way out of a halt.
export function reconcileView(id) {
  const out = h('div', { 'aria-live': 'polite' });
  const run = (repair) => async (ev) => {
    ev.target.disabled = true;
    try {
      const r = repair ? await post(`/v1/issuances/${id}/reconcile`, {}) : await get(`/v1/issuances/${id}/reconcile`);
      const rec = (x) => (x ? `#${x.investorId} ${x.country || ''} ${t('reconcile.categories', { c: x.categories })} ${x.validUntil ? formatDate(new Date(x.validUntil * 1000)) : ''}${x.frozen ? ` ${t('investor.frozen')}` : ''}` : '—');
      clear(out, h('p', { role: 'status' }, t('reconcile.summary', { checked: r.checked, drift: (r.drift || []).length, block: r.asOfBlock }),
        r.repaired ? ` ${t('reconcile.repaired')}` : ''),
      table({ caption: t('reconcile.caption'), rowKey: (d) => d.wallet, empty: t('reconcile.none'), rows: r.drift || [], columns: [
        { key: 'wallet', label: t('col.wallet'), render: (d) => h('code', { class: 'hex' }, d.wallet) },
        { key: 'want', label: t('reconcile.want'), sort: false, render: (d) => rec(d.want) },
        { key: 'onChain', label: t('reconcile.onChain'), sort: false, render: (d) => rec(d.onChain) },
      ] }));
    } catch (err) { clear(out, unavailable(err) ? h('p', { class: 'hint' }, t('common.unavailable')) : errorBlock(err)); }
    ev.target.disabled = false;
  };
  return h('div', {}, h('p', { class: 'hint' }, t('reconcile.intro')),
    h('div', { class: 'actions' }, h('button', { type: 'button', onclick: run(false) }, t('reconcile.compare')),
      h('button', { type: 'button', onclick: run(true) }, t('reconcile.repair'))), out);
}

export function haltsView(id, onRetired) {
  const box = h('div');
  const load = loadInto(box, async () => {
    const [halts, retired] = await Promise.all([get(`/v1/issuances/${id}/halts`), get(`/v1/issuances/${id}/deployments`)]);
    clear(box,
      table({ caption: t('halts.caption'), rowKey: (x) => x.id, empty: t('halts.none'), rows: halts.items, columns: [
        { key: 'id', label: t('col.id'), num: true },
        { key: 'tokenAddress', label: t('col.token'), render: (x) => short(x.tokenAddress) },
        { key: 'reason', label: t('field.reason') },
        { key: 'createdAt', label: t('col.created'), render: (x) => formatTime(x.createdAt) },
        { key: 'clearedAt', label: t('halts.cleared'), render: (x) => (x.clearedAt ? formatTime(x.clearedAt) : badge('FAILED', t('issuance.halted'))) },
      ] }),
      table({ caption: t('halts.retiredCaption'), rowKey: (x) => x.id, empty: t('halts.noneRetired'), rows: retired.items, columns: [
        { key: 'id', label: t('col.id'), num: true },
        { key: 'tokenAddress', label: t('field.tokenAddress'), render: (x) => short(x.tokenAddress) },
        { key: 'registryAddress', label: t('field.registryAddress'), render: (x) => short(x.registryAddress) },
        { key: 'deploymentBlock', label: t('field.deploymentBlock'), num: true },
        { key: 'reason', label: t('field.reason') },
        { key: 'retiredAt', label: t('halts.retiredAt'), render: (x) => [formatTime(x.retiredAt), ' ', h('code', {}, x.retiredBy)] },
      ] }));
  });
  const f = form({
    legend: t('halts.retire'),
    fields: [{ name: 'reason', label: t('field.reason'), required: true }],
    submit: t('halts.retireSubmit'),
    onSubmit: async (v, el) => {
      if (!confirm(t('halts.confirmRetire'))) return;
      await post(`/v1/issuances/${id}/deployment/retire`, { reason: v.reason });
      el.reset(); announce(t('saved')); await load(); await onRetired();
    },
  });
  load();
  return h('div', {}, h('p', { class: 'hint' }, t('halts.intro')), box, f);
}

// rolesView lists who holds each role on the issuance's contracts (the
// node's writer and agent keys, the admin).
export function rolesView(id) {
  const box = h('div');
  loadInto(box, async () => {
    const r = await get(`/v1/issuances/${id}/deployment/roles`);
    clear(box, table({ caption: t('roles.caption'), rowKey: (x) => `${x.contract}:${x.role}:${x.address}`, rows: r.roles || [], columns: [
      { key: 'contract', label: t('roles.contract') },
      { key: 'role', label: t('roles.role'), render: (x) => h('code', {}, x.role) },
      { key: 'address', label: t('field.address'), render: (x) => h('code', { class: 'hex' }, x.address) },
      { key: 'node', label: t('roles.nodeKey') },
    ] }));
  })();
  return box;
}
