import { t, term, formatDate } from '../lib/i18n.js';
import { get, post, query, getAll } from '../lib/api.js';
import { h, table, form, section, badge, link, clear, toISO, announce, mount } from '../lib/ui.js';
import { bulkSection } from './bulk.js';

export const kycStatuses = ['NONE', 'PENDING', 'VERIFIED', 'REJECTED'];
export const screeningResults = ['NONE', 'CLEAR', 'HIT'];
const opts = (values) => values.map((v) => [v, term(v)]);

// Investors: search by customer reference and KYC status, and onboarding.
export async function page({ main, query: q, session }) {
  const filters = { customerRef: q.get('customerRef') || '', kycStatus: q.get('kycStatus') || '', sellerId: q.get('sellerId') || '' };
  const data = await getAll(`/v1/investors${query(filters)}`);
  const search = h('form', { class: 'filters', role: 'search', onsubmit: (ev) => {
    ev.preventDefault();
    const e = ev.target.elements;
    location.hash = `#/investors${query({ customerRef: e.customerRef.value.trim(), kycStatus: e.kycStatus.value, sellerId: e.sellerId ? e.sellerId.value.trim() : '' })}`;
  } },
  h('label', { for: 'q-ref' }, t('field.customerRef')), h('input', { id: 'q-ref', name: 'customerRef', value: filters.customerRef }),
  h('label', { for: 'q-kyc' }, t('field.kyc.status')),
  h('select', { id: 'q-kyc', name: 'kycStatus' }, h('option', { value: '' }, t('filter.any')), opts(kycStatuses).map(([v, l]) => h('option', { value: v }, l))),
  session.role === 'operator' ? [h('label', { for: 'q-seller' }, t('col.seller')), h('input', { id: 'q-seller', name: 'sellerId', inputmode: 'numeric', value: filters.sellerId })] : null,
  h('button', { type: 'submit' }, t('filter.search')));
  search.elements.kycStatus.value = filters.kycStatus;
  const tbl = table({
    caption: t('investors.caption'),
    rowKey: (i) => i.id,
    columns: [
      { key: 'id', label: t('col.id'), num: true, render: (i) => link(`#/investors/${i.id}`, String(i.id)) },
      { key: 'customerRef', label: t('field.customerRef'), render: (i) => link(`#/investors/${i.id}`, i.customerRef) },
      { key: 'sellerId', label: t('col.seller'), num: true },
      { key: 'personType', label: t('field.personType'), render: (i) => term(i.personType) },
      { key: 'residenceCountry', label: t('field.residenceCountry') },
      { key: 'kyc', label: t('field.kyc.status'), value: (i) => i.kyc.status, render: (i) => badge(i.kyc.status) },
      { key: 'reviewDue', label: t('field.kyc.reviewDue'), value: (i) => i.kyc.reviewDue, render: (i) => formatDate(i.kyc.reviewDue) },
      { key: 'screening', label: t('col.screening'), value: (i) => `${i.screening.sanctions}/${i.screening.antisocial}`,
        render: (i) => [badge(i.screening.sanctions, `${t('field.screening.sanctions')}: ${term(i.screening.sanctions)}`), ' ',
          badge(i.screening.antisocial, `${t('field.screening.antisocial')}: ${term(i.screening.antisocial)}`)] },
      { key: 'categories', label: t('col.categories'), value: (i) => i.categories.map((c) => c.category).join(' '),
        render: (i) => i.categories.map((c) => term(c.category)).join(', ') },
      { key: 'wallets', label: t('col.wallets'), num: true, value: (i) => i.wallets.length },
      { key: 'frozen', label: t('col.frozen'), render: (i) => (i.frozen ? badge('FROZEN', t('investor.frozen')) : '') },
    ],
    rows: data.items,
  });
  mount(main, h('h1', {}, t('investors.title')), section(t('investors.search'), search, tbl),
    section(t('investors.onboard'), onboardingForm(session)), bulkSection(session));
}

// day is today plus n days as YYYY-MM-DD (UTC).
export const day = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);

function onboardingForm(session) {
  return form({
    fields: [
      session.role === 'operator' ? { name: 'sellerId', label: t('col.seller'), type: 'number', required: true } : null,
      { name: 'customerRef', label: t('field.customerRef'), required: true },
      { name: 'personType', label: t('field.personType'), type: 'select', options: opts(['INDIVIDUAL', 'CORPORATION']) },
      { name: 'residenceCountry', label: t('field.residenceCountry'), required: true, value: 'JP', hint: t('hint.country') },
      { name: 'dateOfBirth', label: t('field.dateOfBirth'), type: 'date' },
      { name: 'kyc.status', label: t('field.kyc.status'), type: 'select', options: opts(kycStatuses), value: 'VERIFIED' },
      { name: 'kyc.method', label: t('field.kyc.method'), value: 'eKYC' },
      { name: 'kyc.verifiedAt', label: t('field.kyc.verifiedAt'), type: 'date', value: day(0) },
      { name: 'kyc.reviewDue', label: t('field.kyc.reviewDue'), type: 'date', value: day(365) },
      { name: 'screening.sanctions', label: t('field.screening.sanctions'), type: 'select', options: opts(screeningResults), value: 'CLEAR' },
      { name: 'screening.antisocial', label: t('field.screening.antisocial'), type: 'select', options: opts(screeningResults), value: 'CLEAR' },
      { name: 'wallets.address', label: t('field.wallets.address'), placeholder: '0x…' },
      { name: 'wallets.label', label: t('field.wallets.label') },
    ].filter(Boolean),
    submit: t('investors.onboardSubmit'),
    onSubmit: async (v) => {
      const body = {
        customerRef: v.customerRef, personType: v.personType, residenceCountry: v.residenceCountry.toUpperCase(),
        dateOfBirth: v.dateOfBirth || undefined,
        kyc: { status: v['kyc.status'], method: v['kyc.method'] || undefined, verifiedAt: toISO(v['kyc.verifiedAt']), reviewDue: toISO(v['kyc.reviewDue']) },
        screening: { sanctions: v['screening.sanctions'], antisocial: v['screening.antisocial'] },
        wallets: v['wallets.address'] ? [{ address: v['wallets.address'], label: v['wallets.label'] || undefined }] : [],
      };
      if (v.sellerId) body.sellerId = Number(v.sellerId);
      const inv = await post('/v1/investors', body);
      announce(t('investors.onboarded', { id: inv.id }));
      location.hash = `#/investors/${inv.id}`;
    },
  });
}
