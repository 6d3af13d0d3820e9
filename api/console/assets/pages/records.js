// The register of holders at a record date (株主名簿 / 受益者名簿) with its
// finalised snapshots, and investors' personal data (names, address, tax
// category), kept as dated versions.
import { t, term, formatTime, formatDate } from '../lib/i18n.js';
import { get, post, put, query } from '../lib/api.js';
import { h, table, form, section, dl, clear, short, link, announce, errorBlock } from '../lib/ui.js';
import { unavailable } from './controls.js';

function note(err) {
  return unavailable(err) ? h('p', { class: 'hint' }, t('common.unavailable'), ' ', h('small', { lang: 'en' }, err.message)) : errorBlock(err);
}

function entriesTable(x, who) {
  // The register names holders by investor (with their personal data as of
  // the record date); an older node answers wallets only.
  if (Array.isArray(x.holders)) {
    return table({ caption: t('register.caption'), rowKey: (e) => `${e.investorId || ''}:${e.wallets.join(',')}`, empty: t('holders.none'), rows: x.holders, columns: [
      { key: 'investorId', label: t('col.investor'), num: true, render: (e) => (e.investorId ? who(e.investorId) : t('register.unattributed')) },
      { key: 'legalName', label: t('field.legalName'), render: (e) => (e.redacted ? t('register.redacted') : e.legalName) },
      { key: 'kanaName', label: t('field.kanaName') },
      { key: 'postalCode', label: t('field.postalCode') },
      { key: 'address', label: t('field.postalAddress') },
      { key: 'taxCategory', label: t('field.taxCategory'), render: (e) => term(e.taxCategory) },
      { key: 'wallets', label: t('col.wallets'), value: (e) => e.wallets.join(' '), render: (e) => e.wallets.map((w) => [short(w), ' ']) },
      { key: 'balance', label: t('col.balance'), num: true },
    ] });
  }
  return table({ caption: t('register.caption'), rowKey: (w) => w.wallet, empty: t('holders.none'), rows: x.wallets || [], columns: [
    { key: 'wallet', label: t('col.wallet'), render: (w) => h('code', { class: 'hex' }, w.wallet) },
    { key: 'investorId', label: t('col.investor'), num: true },
    { key: 'balance', label: t('col.balance'), num: true },
  ] });
}

function downloads(base, q) {
  return h('p', { class: 'row-actions' },
    h('a', { class: 'button', href: `${base}${query({ ...q, format: 'csv' })}`, download: '' }, t('register.csvUtf8')), ' ',
    h('a', { class: 'button', href: `${base}${query({ ...q, format: 'csv', encoding: 'shift_jis' })}`, download: '' }, t('register.csvSjis')));
}

// registerView: read the register at a record date or block, download it as
// CSV (UTF-8 with a BOM, or Shift_JIS, both as Excel opens them), finalise it
// as a snapshot, and list the snapshots.
export function registerView(id, who) {
  const out = h('div', { 'aria-live': 'polite' });
  const snaps = h('div');
  const base = `/v1/issuances/${id}/holders/register`;
  const loadSnapshots = async () => {
    try {
      const x = await get(`${base}/snapshots`);
      clear(snaps, table({ caption: t('snapshots.caption'), rowKey: (s) => s.snapshotId, empty: t('snapshots.none'), rows: x.items, columns: [
        { key: 'snapshotId', label: t('col.id'), num: true },
        { key: 'recordDate', label: t('register.recordDate') },
        { key: 'asOfBlock', label: t('col.block'), num: true },
        { key: 'investors', label: t('holders.investors'), num: true, value: (s) => s.totals.investors },
        { key: 'balance', label: t('holders.totalSupply'), num: true, value: (s) => s.totals.balance },
        { key: 'sha256', label: 'SHA-256', render: (s) => short(s.sha256) },
        { key: 'createdAt', label: t('col.created'), render: (s) => [formatTime(s.createdAt), ' ', h('code', {}, s.createdBy)] },
        { key: 'csv', label: t('register.download'), sort: false, render: (s) => downloads(`${base}/snapshots/${s.snapshotId}`, {}) },
      ] }));
    } catch (err) { clear(snaps, note(err)); }
  };
  let last = null;
  const f = form({
    fields: [
      { name: 'recordDate', label: t('register.recordDate'), type: 'date', hint: t('hint.recordDate') },
      { name: 'block', label: t('register.block'), type: 'number', hint: t('hint.block') },
    ],
    submit: t('register.show'),
    onSubmit: async (v) => {
      const q = { recordDate: v.recordDate, block: v.block };
      const x = await get(`${base}${query(q)}`);
      last = q;
      const totals = x.totals || {};
      clear(out, dl([[t('register.recordDate'), x.recordDate], [t('holders.asOf'), `#${x.asOfBlock}`],
        [t('register.namesAsOf'), formatTime(x.namesAsOf)], [t('holders.totalSupply'), x.totalSupply],
        [t('holders.investors'), totals.investors ?? x.investorCount], [t('register.unattributed'), totals.unattributedWallets]]),
      entriesTable(x, who),
      Array.isArray(x.holders) ? downloads(base, q) : null,
      Array.isArray(x.holders) ? h('button', { type: 'button', onclick: async (ev) => {
        try {
          await post(`${base}/snapshots`, { recordDate: last.recordDate || undefined, block: last.block ? Number(last.block) : undefined });
          announce(t('saved')); await loadSnapshots();
        } catch (err) { ev.target.after(errorBlock(err)); }
      } }, t('register.finalise')) : null);
    },
  });
  loadSnapshots();
  return h('div', {}, f, out, h('h3', {}, t('snapshots.title')), snaps);
}

const taxCategories = ['INDIVIDUAL', 'LARGE_INDIVIDUAL', 'CORPORATION', 'TAX_EXEMPT', 'NON_RESIDENT'];

// personalSection: the investor's personal data (current version and its
// history) and the form that records a new version.
export function personalSection(id) {
  const box = h('div', { 'aria-live': 'polite' });
  const history = h('div');
  let current = null;
  const load = async () => {
    try {
      current = await get(`/v1/investors/${id}/personal-data`);
      const d = current.data || {};
      clear(box, dl([[t('col.version'), current.version], [t('field.validFrom'), formatDate(current.validFrom)],
        [t('field.legalName'), current.redacted ? t('register.redacted') : d.legalName], [t('field.kanaName'), d.kanaName],
        [t('field.representativeName'), d.representativeName], [t('field.postalCode'), d.postalCode], [t('field.postalAddress'), d.address],
        [t('field.taxCategory'), term(d.taxCategory)], [t('field.externalRef'), d.externalRef]]));
    } catch (err) {
      current = null;
      clear(box, err.status === 404 && !/no such route/.test(err.message) ? h('p', { class: 'hint' }, t('personal.none')) : note(err));
    }
    try {
      const v = await get(`/v1/investors/${id}/personal-data/versions`);
      clear(history, table({ caption: t('personal.versions'), rowKey: (r) => r.version, rows: v.items, columns: [
        { key: 'version', label: t('col.version'), num: true },
        { key: 'validFrom', label: t('field.validFrom'), render: (r) => formatDate(r.validFrom) },
        { key: 'validTo', label: t('field.validTo'), render: (r) => formatDate(r.validTo) },
        { key: 'legalName', label: t('field.legalName'), value: (r) => (r.data ? r.data.legalName : ''), render: (r) => (r.redacted ? t('register.redacted') : r.data && r.data.legalName) },
        { key: 'recordedAt', label: t('col.updated'), render: (r) => formatTime(r.recordedAt) },
      ] }));
    } catch { clear(history); }
  };
  const f = form({
    legend: t('personal.record'),
    fields: [
      { name: 'legalName', label: t('field.legalName'), required: true },
      { name: 'kanaName', label: t('field.kanaName'), required: true },
      { name: 'representativeName', label: t('field.representativeName') },
      { name: 'postalCode', label: t('field.postalCode'), placeholder: '100-0005' },
      { name: 'address', label: t('field.postalAddress'), required: true },
      { name: 'taxCategory', label: t('field.taxCategory'), type: 'select', options: taxCategories.map((c) => [c, term(c)]) },
      { name: 'externalRef', label: t('field.externalRef') },
      { name: 'effectiveFrom', label: t('field.effectiveFrom'), type: 'date', hint: t('hint.effectiveFrom') },
    ],
    submit: t('personal.submit'),
    onSubmit: async (v) => {
      const body = {};
      for (const [k, x] of Object.entries(v)) if (x !== '') body[k] = x;
      await put(`/v1/investors/${id}/personal-data`, body);
      announce(t('saved')); await load();
    },
  });
  load();
  return section(t('personal.title'), box, history, f);
}

// distributionView: a dividend, interest or redemption payment computed from
// the register at a record date, with each holder's withholding.
export function distributionView(id) {
  const out = h('div', { 'aria-live': 'polite' });
  const base = `/v1/issuances/${id}/distributions`;
  const f = form({
    fields: [
      { name: 'kind', label: t('field.kind'), type: 'select', options: ['DIVIDEND', 'INTEREST', 'REDEMPTION'].map((k) => [k, term(k)]) },
      { name: 'amountPerToken', label: t('field.amountPerToken'), required: true, inputmode: 'decimal', hint: t('hint.amountPerToken') },
      { name: 'recordDate', label: t('register.recordDate'), type: 'date', required: true },
      { name: 'paymentDate', label: t('field.paymentDate'), type: 'date', required: true },
    ],
    submit: t('distribution.compute'),
    onSubmit: async (v) => {
      const d = await get(`${base}${query(v)}`);
      const tot = d.totals || {};
      clear(out, dl([[t('register.recordDate'), d.recordDate], [t('field.paymentDate'), d.paymentDate], [t('holders.asOf'), `#${d.asOfBlock}`],
        [t('distribution.gross'), tot.gross], [t('distribution.withholding'), tot.withholding], [t('distribution.net'), tot.net],
        [t('distribution.unpayable'), tot.unpayable], [t('distribution.payments'), tot.payments], [t('distribution.rates'), d.rateVersion]]),
      table({ caption: t('distribution.caption'), rowKey: (l) => `${l.investorId || ''}:${l.wallets.join(',')}`, rows: d.lines || [], columns: [
        { key: 'investorId', label: t('col.investor'), num: true, render: (l) => (l.investorId ? link(`#/investors/${l.investorId}`, String(l.investorId)) : '') },
        { key: 'name', label: t('field.legalName') },
        { key: 'taxCategory', label: t('field.taxCategory'), render: (l) => term(l.taxCategory) },
        { key: 'balance', label: t('col.balance'), num: true },
        { key: 'gross', label: t('distribution.gross'), num: true },
        { key: 'incomeTax', label: t('distribution.incomeTax'), num: true },
        { key: 'localTax', label: t('distribution.localTax'), num: true },
        { key: 'net', label: t('distribution.net'), num: true },
        { key: 'unpayable', label: t('distribution.unpayableWhy'), render: (l) => (l.unpayable ? h('span', { class: 'bad' }, l.unpayable) : '') },
      ] }),
      h('p', {}, h('a', { class: 'button', href: `${base}${query({ ...v, format: 'csv' })}`, download: '' }, t('distribution.csv'))));
    },
  });
  // The withholding rates the computation applies, with their legal sources.
  const rates = h('div');
  get('/v1/withholding-rates').then((r) => clear(rates, h('p', { class: 'hint' }, t('distribution.ratesVersion', { version: r.version, rounding: r.rounding })),
    table({ caption: t('distribution.ratesCaption'), rowKey: (x) => x.id, rows: r.rates || [], columns: [
      { key: 'kind', label: t('field.kind'), render: (x) => term(x.kind) },
      { key: 'taxCategory', label: t('field.taxCategory'), render: (x) => (x.taxCategory ? term(x.taxCategory) : t('filter.any')) },
      { key: 'incomeTaxPer100k', label: t('distribution.incomeTax'), num: true, value: (x) => x.incomeTaxPer100k, render: (x) => `${(x.incomeTaxPer100k / 1000).toFixed(3)}%` },
      { key: 'localTaxPer100k', label: t('distribution.localTax'), num: true, value: (x) => x.localTaxPer100k, render: (x) => `${(x.localTaxPer100k / 1000).toFixed(3)}%` },
      { key: 'effectiveOn', label: t('field.effectiveFrom') },
      { key: 'source', label: t('distribution.source') },
    ] }))).catch(() => clear(rates));
  return h('div', {}, f, out, h('details', {}, h('summary', {}, t('distribution.showRates')), rates));
}
