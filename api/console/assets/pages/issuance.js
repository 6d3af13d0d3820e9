import { t, term, formatTime, formatDate } from '../lib/i18n.js';
import { get, post, put, del, query, getAll } from '../lib/api.js';
import { h, table, form, section, badge, dl, link, short, clear, poller, toISO, announce, errorBlock, mount } from '../lib/ui.js';
import { statuses } from './issuances.js';
import { approvalsView, locksView, termsView, reconcileView, haltsView, rolesView } from './controls.js';
import { allocationSection } from './bulk.js';
import { registerView, distributionView } from './records.js';
import { operationsView } from './operations.js';

// Token operations: route, body fields, and which ones each takes.
const tokenOps = {
  mint: { path: 'mint', fields: ['to', 'amount'] },
  forcedTransfer: { path: 'forced-transfers', fields: ['from', 'to', 'amount'] },
  redemption: { path: 'redemptions', fields: ['from', 'amount'] },
  freeze: { path: 'freezes', fields: ['wallet', 'amount'] },
  unfreeze: { path: 'unfreezes', fields: ['wallet', 'amount'] },
  pause: { path: 'pause', fields: [] },
  unpause: { path: 'unpause', fields: [] },
};

// The issuance page: terms, status, chain, whitelist, token operations,
// holders, transfers, register, alerts; states refresh every two seconds.
export async function page({ main, params, session, onCleanup }) {
  const id = params[0];
  let iss = await get(`/v1/issuances/${id}`);
  const lead = session.role === 'operator' || iss.leadSellerId === session.sellerId;
  // Customer references of the investors this key may see, to name them in
  // the tables (another seller's investors stay numbers).
  const refs = await getAll('/v1/investors').then((x) => new Map(x.items.map((i) => [i.id, i.customerRef]))).catch(() => new Map());
  const who = (id) => (id ? link(`#/investors/${id}`, refs.has(id) ? `${id} · ${refs.get(id)}` : String(id)) : '');
  const head = h('h1', {});
  const termsBox = h('div');
  const chainBox = h('div');
  const wlBox = h('div');
  const holdersBox = h('div', { 'aria-live': 'polite' });
  const alertsBox = h('div');
  const drawHead = () => clear(head, `${iss.tokenName} (${iss.tokenSymbol}) `, badge(iss.status),
    iss.paused ? [' ', badge('SUSPENDED', t('issuance.paused'))] : null);
  const drawTerms = () => clear(termsBox, dl([
    [t('col.id'), iss.id], [t('field.issuerName'), iss.issuerName], [t('col.leadSeller'), iss.leadSellerId],
    [t('field.handlingSellerIds'), (iss.handlingSellerIds || []).join(', ')],
    [t('field.legalForm'), term(iss.legalForm)], [t('field.fieaClass'), term(iss.fieaClass)],
    [t('field.offeringType'), term(iss.offeringType)], [t('field.decimals'), iss.decimals],
    [t('field.maxHolders'), iss.maxHolders || t('issuance.unlimited')], [t('field.minHolding'), iss.minHolding], [t('field.maxHolding'), iss.maxHolding],
    [t('field.supplyCap'), iss.supplyCap], [t('field.lockupEnd'), formatDate(iss.lockupEnd)],
    [t('field.offeringStart'), formatDate(iss.offeringStart)], [t('field.offeringEnd'), formatDate(iss.offeringEnd)],
    [t('field.allowedCountries'), (iss.allowedCountries || []).join(', ')], [t('field.deniedCountries'), (iss.deniedCountries || []).join(', ')],
    iss.product && iss.product.class !== 'NONE' ? [t('field.product'), `${term(iss.product.class)} / ${term(iss.product.wrapper)} / ${term(iss.product.underlying)} ${iss.product.leverage ? `×${iss.product.leverage}` : ''}`] : null,
    [t('col.status'), badge(iss.status)],
  ]));
  const drawChain = () => clear(chainBox, iss.tokenAddress
    ? dl([[t('field.chainId'), iss.chainId], [t('field.tokenAddress'), h('code', { class: 'hex' }, iss.tokenAddress)],
      [t('field.registryAddress'), h('code', { class: 'hex' }, iss.registryAddress)], [t('field.deploymentBlock'), iss.deploymentBlock],
      iss.chainHalt ? [t('issuance.halted'), h('span', { class: 'bad' }, iss.chainHalt)] : null])
    : h('p', {}, t('issuance.noTokenLong')),
  !iss.tokenAddress && lead ? h('div', { class: 'row' },
    form({ fields: [], submit: t('issuance.deploy'), onSubmit: async () => {
      const op = await post(`/v1/issuances/${id}/deploy`);
      announce(t('issuance.opQueued', { id: op.id })); await refreshOps();
    } }),
    form({ legend: t('issuance.attach'), fields: [
      { name: 'tokenAddress', label: t('field.tokenAddress'), required: true, placeholder: '0x…' },
      { name: 'registryAddress', label: t('field.registryAddress'), required: true, placeholder: '0x…' },
      { name: 'deploymentBlock', label: t('field.deploymentBlock'), type: 'number' },
    ], submit: t('issuance.attachSubmit'), onSubmit: async (v) => {
      const r = await post(`/v1/issuances/${id}/attach`, { tokenAddress: v.tokenAddress, registryAddress: v.registryAddress,
        deploymentBlock: v.deploymentBlock === '' ? undefined : Number(v.deploymentBlock) });
      if (r && r.kind) await refreshOps();
      await refreshIssuance();
    } })) : null);

  const refreshIssuance = async () => {
    const next = await get(`/v1/issuances/${id}`);
    if (JSON.stringify(next) !== JSON.stringify(iss)) { iss = next; drawHead(); drawTerms(); drawChain(); }
  };

  // Every operation on the issuance, whoever started it, with its live status.
  const opsBox = operationsView(id, () => refreshIssuance());
  const refreshOps = () => opsBox.refresh();

  // The whitelist with each entry's on-chain sync state.
  let wlSig = '';
  const wlTable = table({ caption: t('whitelist.caption'), rowKey: (e) => e.investorId, empty: t('whitelist.none'), rows: [], columns: [
    { key: 'investorId', label: t('col.investor'), num: true, render: (e) => who(e.investorId) },
    { key: 'status', label: t('col.status'), render: (e) => badge(e.status) },
    { key: 'sync', label: t('col.sync'), value: (e) => e.sync.state, render: (e) => h('span', { class: 'sync' }, badge(e.sync.state),
      e.sync.txHash ? [' ', short(e.sync.txHash)] : null, e.sync.block ? ` #${e.sync.block}` : '', e.sync.error ? h('span', { class: 'bad' }, ` ${e.sync.error}`) : null) },
    { key: 'validUntil', label: t('field.validUntil'), render: (e) => formatDate(e.validUntil) },
    { key: 'approvedAt', label: t('col.approved'), render: (e) => formatTime(e.approvedAt) },
    { key: 'approvedBy', label: t('col.by') },
    { key: 'actions', label: t('col.actions'), sort: false, render: (e) => (e.status === 'APPROVED' ? h('button', { type: 'button', class: 'danger',
      'aria-label': t('whitelist.revokeNamed', { id: e.investorId }), onclick: async (ev) => {
        if (!confirm(t('whitelist.confirmRevoke', { id: e.investorId }))) return;
        try { await del(`/v1/issuances/${id}/whitelist/${e.investorId}`); announce(t('saved')); await refreshWhitelist(); } catch (err) { ev.target.after(errorBlock(err)); }
      } }, t('whitelist.revoke')) : '') },
  ] });
  const refreshWhitelist = async () => {
    const w = await getAll(`/v1/issuances/${id}/whitelist`);
    const sig = JSON.stringify(w.items);
    if (sig !== wlSig) { wlSig = sig; wlTable.update(w.items); }
  };
  clear(wlBox, wlTable);

  // Holders as mirrored from the chain.
  let holdersSig = '';
  const refreshHolders = async () => {
    if (!iss.tokenAddress || !lead) { clear(holdersBox, h('p', {}, iss.tokenAddress ? t('issuance.leadOnly') : t('issuance.noToken'))); return; }
    let x;
    try { x = await get(`/v1/issuances/${id}/holders`); } catch (err) { clear(holdersBox, errorBlock(err)); holdersSig = ''; return; }
    const sig = JSON.stringify(x);
    if (sig === holdersSig) return;
    holdersSig = sig;
    clear(holdersBox, dl([[t('col.holders'), x.holderCount], [t('holders.investors'), x.investorCount], [t('holders.totalSupply'), x.totalSupply],
      [t('holders.asOf'), `#${x.asOfBlock}`]]), holdingsTable(x.wallets));
  };

  const refresh = async () => {
    await Promise.allSettled([refreshOps(), refreshWhitelist(), refreshHolders(), refreshIssuance(), lead ? transfers.refresh() : null,
      approvals.refresh(), lead ? locks.refresh() : null, termChanges.refresh()]);
  };

  const statusForm = form({
    fields: [
      { name: 'status', label: t('issuance.newStatus'), type: 'select', options: statuses.filter((s) => s !== 'DRAFT').map((s) => [s, term(s)]) },
      { name: 'reason', label: t('field.reason') },
    ],
    submit: t('issuance.changeStatus'),
    onSubmit: async (v) => {
      iss = await post(`/v1/issuances/${id}/status`, v);
      drawHead(); drawTerms(); announce(t('issuance.statusNow', { status: term(iss.status) }));
    },
  });
  const next = { DRAFT: 'REGISTERED', REGISTERED: 'OFFERING', OFFERING: 'ISSUED' }[iss.status];
  if (next) statusForm.elements.status.value = next;

  const approveForm = form({
    legend: t('whitelist.approve'),
    fields: [
      { name: 'investorId', label: t('col.investor'), type: 'number', required: true },
      { name: 'validUntil', label: t('field.validUntil'), type: 'date', hint: t('hint.validUntil') },
    ],
    submit: t('whitelist.approveSubmit'),
    onSubmit: async (v) => {
      await put(`/v1/issuances/${id}/whitelist/${v.investorId}`, { validUntil: toISO(v.validUntil) });
      announce(t('whitelist.approved', { id: v.investorId }));
      await refreshWhitelist();
    },
  });

  const transfers = transfersView(id, () => iss);
  const holdingsTable = (wallets) => holdings(wallets, who);
  const approvals = approvalsView(id);
  const locks = locksView(id);
  const termChanges = termsView(id);
  const queued = async (op) => { announce(t('issuance.opQueued', { id: op.id })); await refreshOps(); };
  // A lost wallet's holding moves to a new wallet of the same investor.
  const recoveryForm = form({
    fields: [
      { name: 'lostWallet', label: t('field.lostWallet'), required: true, placeholder: '0x…' },
      { name: 'newWallet', label: t('field.newWallet'), required: true, placeholder: '0x…' },
      { name: 'label', label: t('field.wallets.label') },
      { name: 'reason', label: t('field.reason'), required: true },
    ],
    submit: t('recovery.submit'),
    onSubmit: async (v) => {
      if (!confirm(t('recovery.confirm', { from: v.lostWallet, to: v.newWallet }))) return;
      await queued(await post(`/v1/issuances/${id}/recoveries`, { lostWallet: v.lostWallet, newWallet: v.newWallet, label: v.label || undefined, reason: v.reason }));
    },
  });
  // The contracts' admin role goes to an address the issuer controls.
  const handoverForm = form({
    legend: t('handover.title'),
    fields: [{ name: 'address', label: t('field.address'), required: true, placeholder: '0x…', hint: t('handover.hint') }],
    submit: t('handover.submit'),
    onSubmit: async (v) => {
      if (!confirm(t('handover.confirm', { address: v.address }))) return;
      await queued(await post(`/v1/issuances/${id}/deployment/admin`, { address: v.address }));
    },
  });
  const opForm = tokenOpForm(id, queued);

  mount(main, head, h('p', {}, link('#/' + (session.role === 'seller' ? 'dashboard' : 'issuances'), t('issuance.back')), ' · ',
    link(`#/checker?issuance=${id}`, t('issuance.check'))),
  section(t('issuance.terms'), termsBox),
  lead ? section(t('issuance.status'), statusForm) : null,
  section(t('issuance.chain'), chainBox),
  section(t('whitelist.title'), h('p', { class: 'hint' }, t('whitelist.live')), wlBox, approveForm),
  section(t('ops.title'), lead ? opForm : null, opsBox),
  lead ? section(t('allocation.title'), allocationSection(id, refreshOps)) : null,
  section(t('holders.title'), holdersBox),
  lead ? section(t('transfers.title'), transfers) : null,
  lead ? section(t('register.title'), registerView(id, who)) : null,
  lead ? section(t('distribution.title'), distributionView(id)) : null,
  section(t('approvals.title'), approvals),
  lead ? section(t('locks.title'), locks) : null,
  section(t('terms.title'), termChanges),
  lead ? section(t('alerts.title'), alertsBox) : null,
  lead ? section(t('reconcile.title'), reconcileView(id)) : null,
  lead ? section(t('halts.title'), haltsView(id, refreshIssuance)) : null,
  lead ? section(t('recovery.title'), h('p', { class: 'hint' }, t('recovery.intro')), recoveryForm) : null,
  lead && iss.tokenAddress ? section(t('roles.title'), rolesView(id), handoverForm) : null);
  // "On this page": a jump to each section, for a page this long.
  const sections = [...main.querySelectorAll('section.panel > h2')];
  head.nextElementSibling.after(h('nav', { class: 'toc', 'aria-label': t('issuance.onThisPage') }, sections.map((h2) => h('button', { type: 'button', class: 'link',
    onclick: () => { h2.setAttribute('tabindex', '-1'); h2.scrollIntoView(); h2.focus({ preventScroll: true }); } }, h2.textContent))));
  drawHead(); drawTerms(); drawChain();
  await refresh();
  if (lead) loadAlerts(id, alertsBox);
  const p = poller(refresh, 2000);
  onCleanup(() => p.stop());
}

function holdings(wallets, who) {
  return table({ caption: t('holders.caption'), rowKey: (w) => w.wallet, empty: t('holders.none'), rows: wallets, columns: [
    { key: 'wallet', label: t('col.wallet'), render: (w) => h('code', { class: 'hex' }, w.wallet) },
    { key: 'investorId', label: t('col.investor'), num: true, render: (w) => who(w.investorId) },
    { key: 'balance', label: t('col.balance'), num: true },
  ] });
}

function tokenOpForm(id, done) {
  const kinds = Object.keys(tokenOps);
  const f = form({
    legend: t('ops.new'),
    fields: [
      { name: 'kind', label: t('col.kind'), type: 'select', options: kinds.map((k) => [k, t(`ops.${k}`)]) },
      { name: 'to', label: t('field.to'), placeholder: '0x…' },
      { name: 'from', label: t('field.from'), placeholder: '0x…' },
      { name: 'wallet', label: t('field.wallet'), placeholder: '0x…' },
      { name: 'amount', label: t('field.amount'), inputmode: 'numeric' },
    ],
    submit: t('ops.submit'),
    onSubmit: async (v) => {
      const op = tokenOps[v.kind];
      const body = {};
      for (const name of op.fields) if (v[name] !== '') body[name] = v[name];
      done(await post(`/v1/issuances/${id}/${op.path}`, body));
    },
  });
  const sync = () => {
    const used = tokenOps[f.elements.kind.value].fields;
    for (const name of ['to', 'from', 'wallet', 'amount']) f.querySelector(`[data-field="${name}"]`).hidden = !used.includes(name);
  };
  f.elements.kind.addEventListener('change', sync);
  sync();
  return f;
}

// transfersView pages through the mirrored transfers (oldest first, by
// cursor); refresh() redraws the page shown when the mirror has moved.
function transfersView(id, issuance) {
  const box = h('div');
  const cursors = [''];
  let at = 0;
  let sig = '';
  const load = async (quiet) => {
    if (!issuance().tokenAddress) { clear(box, h('p', {}, t('issuance.noToken'))); return; }
    try {
      const x = await get(`/v1/issuances/${id}/transfers${query({ after: cursors[at], limit: 25 })}`);
      const s = JSON.stringify(x);
      if (quiet && s === sig) return;
      sig = s;
      if (x.next && cursors.length === at + 1) cursors.push(x.next);
      clear(box, h('p', { class: 'hint' }, t('holders.asOf'), ` #${x.asOfBlock}`), table({ caption: t('transfers.caption'), empty: t('transfers.none'), rows: x.items, columns: [
        { key: 'blockNumber', label: t('col.block'), num: true },
        { key: 'logIndex', label: t('col.logIndex'), num: true },
        { key: 'from', label: t('field.from'), render: (r) => [short(r.from), r.fromInvestorId ? ` (${r.fromInvestorId})` : ''] },
        { key: 'to', label: t('field.to'), render: (r) => [short(r.to), r.toInvestorId ? ` (${r.toInvestorId})` : ''] },
        { key: 'amount', label: t('field.amount'), num: true },
        { key: 'txHash', label: t('col.tx'), render: (r) => short(r.txHash) },
      ] }), h('nav', { class: 'pager', 'aria-label': t('transfers.pages') },
        h('button', { type: 'button', disabled: at === 0, onclick: () => { at -= 1; load(); } }, t('page.prev')),
        h('span', {}, t('page.n', { n: at + 1 })),
        h('button', { type: 'button', disabled: !x.next, onclick: () => { at += 1; load(); } }, t('page.next')),
        h('button', { type: 'button', onclick: () => { cursors.length = 1; at = 0; load(); } }, t('page.reload'))));
    } catch (err) { clear(box, errorBlock(err)); sig = ''; }
  };
  load();
  box.refresh = () => load(true);
  return box;
}

async function loadAlerts(id, box) {
  try {
    const a = await get(`/v1/issuances/${id}/alerts?limit=100`);
    clear(box, alertsTable(a.items));
  } catch (err) { clear(box, errorBlock(err)); }
}

export function alertsTable(rows) {
  return table({ caption: t('alerts.caption'), rowKey: (a) => a.id, empty: t('alerts.none'), rows, columns: [
    { key: 'id', label: t('col.id'), num: true },
    { key: 'issuanceId', label: t('col.issuance'), num: true, render: (a) => link(`#/issuances/${a.issuanceId}`, String(a.issuanceId)) },
    { key: 'blockNumber', label: t('col.block'), num: true },
    { key: 'from', label: t('field.from'), render: (a) => short(a.from) },
    { key: 'to', label: t('field.to'), render: (a) => short(a.to) },
    { key: 'amount', label: t('field.amount'), num: true },
    { key: 'codes', label: t('col.reasons'), value: (a) => (a.codes || []).join(' '), render: (a) => (a.codes || []).map((c) => h('code', { title: t(`reason.${c}`) }, c, ' ')) },
    { key: 'createdAt', label: t('col.created'), render: (a) => formatTime(a.createdAt) },
  ] });
}
