import { t, term } from '../lib/i18n.js';
import { get, post, query, metrics, getAll } from '../lib/api.js';
import { h, table, form, section, badge, link, short, clear, poller, toISO, announce, mount } from '../lib/ui.js';

export const legalForms = ['SHARE', 'BOND', 'TRUST_BENEFICIARY', 'INVESTMENT_UNIT', 'FUND_INTEREST'];
export const fieaClasses = ['PARA1_TOKEN', 'ERTR', 'EXCLUDED_ERTR'];
export const offeringTypes = ['PUBLIC', 'SMALL_NUMBER_PRIVATE', 'QII_PRIVATE', 'SPECIFIED_INVESTOR_PRIVATE'];
export const statuses = ['DRAFT', 'REGISTERED', 'OFFERING', 'ISSUED', 'SUSPENDED', 'REDEEMED'];
const productClasses = ['NONE', 'DERIVATIVE', 'CFD'];
const wrappers = ['NONE', 'DIRECT', 'DOMESTIC_ETF', 'OVERSEAS_ETF'];
const underlyings = ['NONE', 'FX', 'CRYPTO_ASSET', 'STOCK_INDEX', 'SINGLE_STOCK', 'BOND', 'REAL_ESTATE', 'OTHER'];

const opts = (values) => values.map((v) => [v, term(v)]);
const countries = (v) => (v ? v.split(/[\s,]+/).filter(Boolean).map((x) => x.toUpperCase()) : undefined);

// Operator and seller: issuances with a status filter.
export async function list({ main, query: q }) {
  const status = q.get('status') || '';
  const data = await getAll(`/v1/issuances${query({ status })}`);
  const filter = h('form', { class: 'filters', onsubmit: (ev) => {
    ev.preventDefault();
    location.hash = `#/issuances${query({ status: ev.target.elements.status.value })}`;
  } }, h('label', { for: 'iss-status' }, t('col.status')),
  h('select', { id: 'iss-status', name: 'status' }, h('option', { value: '' }, t('filter.any')), opts(statuses).map(([v, l]) => h('option', { value: v }, l))),
  h('button', { type: 'submit' }, t('filter.apply')));
  filter.elements.status.value = status;
  mount(main, h('h1', {}, t('issuances.title')), section(t('issuances.all'), filter, issuanceTable(data.items)));
}

function issuanceTable(rows, extra = []) {
  return table({
    caption: t('issuances.caption'),
    rowKey: (i) => i.id,
    columns: [
      { key: 'id', label: t('col.id'), num: true },
      { key: 'tokenName', label: t('field.tokenName'), render: (i) => link(`#/issuances/${i.id}`, `${i.tokenName} (${i.tokenSymbol})`) },
      { key: 'issuerName', label: t('field.issuerName') },
      { key: 'leadSellerId', label: t('col.leadSeller'), num: true },
      { key: 'offeringType', label: t('field.offeringType'), render: (i) => term(i.offeringType) },
      { key: 'status', label: t('col.status'), render: (i) => h('span', {}, badge(i.status), i.paused ? [' ', badge('SUSPENDED', t('issuance.paused'))] : null, i.chainHalt ? [' ', badge('FAILED', t('issuance.halted'))] : null) },
      { key: 'tokenAddress', label: t('col.token'), render: (i) => (i.tokenAddress ? short(i.tokenAddress) : t('issuance.noToken')) },
      ...extra,
    ],
    rows,
  });
}

// Seller: its issuances with what needs attention, refreshed live.
export async function dashboard({ main, session, onCleanup }) {
  const box = h('div', { 'aria-busy': 'true' });
  const stats = new Map();
  const load = async () => {
    const data = await getAll('/v1/issuances');
    const lag = await metrics(['stonode_mirror_lag_blocks']).catch(() => ({}));
    const lagBy = Object.fromEntries((lag.stonode_mirror_lag_blocks || []).map((m) => [m.labels.issuance, m.value]));
    await Promise.all(data.items.map(async (i) => {
      const s = { holders: null, unconfirmed: null, alerts: null, lag: lagBy[String(i.id)] };
      const lead = i.leadSellerId === session.sellerId;
      const jobs = [getAll(`/v1/issuances/${i.id}/whitelist?status=APPROVED`).then((w) => { s.unconfirmed = w.items.filter((e) => e.sync.state !== 'CONFIRMED').length; })];
      if (lead) jobs.push(getAll(`/v1/issuances/${i.id}/alerts`).then((a) => { s.alerts = a.items.length; }));
      if (lead && i.tokenAddress) jobs.push(get(`/v1/issuances/${i.id}/holders`).then((x) => { s.holders = x.holderCount; }));
      await Promise.allSettled(jobs);
      stats.set(i.id, s);
    }));
    const num = (k) => (i) => { const v = stats.get(i.id)?.[k]; return v === null || v === undefined ? '' : v; };
    clear(box, issuanceTable(data.items, [
      { key: 'holders', label: t('col.holders'), num: true, value: num('holders') },
      { key: 'unconfirmed', label: t('col.unconfirmed'), num: true, value: num('unconfirmed'),
        render: (i) => { const v = num('unconfirmed')(i); return v ? badge('PENDING', String(v)) : String(v); } },
      { key: 'alerts', label: t('col.alerts'), num: true, value: num('alerts'),
        render: (i) => { const v = num('alerts')(i); return v ? badge('FAILED', String(v)) : String(v); } },
      { key: 'lag', label: t('col.mirrorLag'), num: true, value: num('lag') },
    ]));
    box.setAttribute('aria-busy', 'false');
  };
  mount(main, h('h1', {}, t('dashboard.title')), section(t('dashboard.issuances'), h('p', { class: 'hint' }, t('dashboard.live')), box),
    section(t('issuances.register'), issuanceForm()));
  await load();
  const p = poller(load, 5000);
  onCleanup(() => p.stop());
}

// issuanceForm registers an issuance (a DRAFT the seller leads).
function issuanceForm() {
  return form({
    fields: [
      { name: 'issuerName', label: t('field.issuerName'), required: true },
      { name: 'tokenName', label: t('field.tokenName'), required: true },
      { name: 'tokenSymbol', label: t('field.tokenSymbol'), required: true },
      { name: 'decimals', label: t('field.decimals'), type: 'number', value: '0' },
      { name: 'legalForm', label: t('field.legalForm'), type: 'select', options: opts(legalForms) },
      { name: 'fieaClass', label: t('field.fieaClass'), type: 'select', options: opts(fieaClasses) },
      { name: 'offeringType', label: t('field.offeringType'), type: 'select', options: opts(offeringTypes) },
      { name: 'maxHolders', label: t('field.maxHolders'), type: 'number', hint: t('hint.maxHolders') },
      { name: 'minHolding', label: t('field.minHolding'), inputmode: 'numeric' },
      { name: 'maxHolding', label: t('field.maxHolding'), inputmode: 'numeric' },
      { name: 'supplyCap', label: t('field.supplyCap'), inputmode: 'numeric' },
      { name: 'lockupEnd', label: t('field.lockupEnd'), type: 'date' },
      { name: 'offeringStart', label: t('field.offeringStart'), type: 'date' },
      { name: 'offeringEnd', label: t('field.offeringEnd'), type: 'date' },
      { name: 'allowedCountries', label: t('field.allowedCountries'), hint: t('hint.countries') },
      { name: 'deniedCountries', label: t('field.deniedCountries'), hint: t('hint.countries') },
      { name: 'product.class', label: t('field.product.class'), type: 'select', options: opts(productClasses) },
      { name: 'product.wrapper', label: t('field.product.wrapper'), type: 'select', options: opts(wrappers) },
      { name: 'product.underlying', label: t('field.product.underlying'), type: 'select', options: opts(underlyings) },
      { name: 'product.leverage', label: t('field.product.leverage'), inputmode: 'decimal' },
    ],
    submit: t('issuances.registerSubmit'),
    onSubmit: async (v) => {
      const body = {
        issuerName: v.issuerName, tokenName: v.tokenName, tokenSymbol: v.tokenSymbol,
        decimals: v.decimals === '' ? undefined : Number(v.decimals),
        legalForm: v.legalForm, fieaClass: v.fieaClass, offeringType: v.offeringType,
        maxHolders: v.maxHolders === '' ? undefined : Number(v.maxHolders),
        minHolding: v.minHolding || undefined, maxHolding: v.maxHolding || undefined, supplyCap: v.supplyCap || undefined,
        lockupEnd: toISO(v.lockupEnd), offeringStart: toISO(v.offeringStart), offeringEnd: toISO(v.offeringEnd),
        allowedCountries: countries(v.allowedCountries), deniedCountries: countries(v.deniedCountries),
      };
      if (v['product.class'] !== 'NONE' || v['product.wrapper'] !== 'NONE' || v['product.underlying'] !== 'NONE' || v['product.leverage']) {
        body.product = { class: v['product.class'], wrapper: v['product.wrapper'], underlying: v['product.underlying'], leverage: v['product.leverage'] || undefined };
      }
      const iss = await post('/v1/issuances', body);
      announce(t('issuances.registered', { id: iss.id }));
      location.hash = `#/issuances/${iss.id}`;
    },
  });
}
