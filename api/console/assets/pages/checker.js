import { t, formatTime } from '../lib/i18n.js';
import { reasonText } from '../lib/errors.js';
import { get, post } from '../lib/api.js';
import { h, form, section, badge, clear, reasonList, mount, table, short } from '../lib/ui.js';

// The eligibility checker: may a wallet receive this issuance's token, and
// may a transfer go through? Every failing reason is listed with its message.
export async function page({ main, query: q }) {
  const out = h('div', { 'aria-live': 'polite', class: 'result', id: 'check-result' });
  const out2 = h('div', { 'aria-live': 'polite', class: 'result', id: 'transfer-result' });
  const out3 = h('div', { 'aria-live': 'polite', class: 'result', id: 'batch-result' });
  const codes = h('div');
  const show = (box, r) => clear(box,
    h('p', { class: 'verdict' }, r.allowed ? badge('allowed', t('checker.allowed')) : badge('denied', t('checker.denied')),
      r.code ? [' ', h('code', {}, r.code)] : null),
    r.reasons && r.reasons.length ? reasonList(r.reasons) : null,
    h('p', { class: 'hint' }, t('checker.evaluatedAt', { at: formatTime(r.evaluatedAt) })));
  mount(main, h('h1', {}, t('checker.title')),
    section(t('checker.wallet'), form({
      fields: [
        { name: 'issuance', label: t('col.issuance'), type: 'number', required: true, value: q.get('issuance') || '' },
        { name: 'address', label: t('field.address'), required: true, placeholder: '0x…' },
      ],
      submit: t('checker.check'),
      onSubmit: async (v) => show(out, await get(`/v1/issuances/${encodeURIComponent(v.issuance)}/eligibility/${encodeURIComponent(v.address)}`)),
    }), out),
    section(t('checker.transfer'), form({
      fields: [
        { name: 'issuance', label: t('col.issuance'), type: 'number', required: true, value: q.get('issuance') || '' },
        { name: 'from', label: t('field.from'), required: true, placeholder: '0x…' },
        { name: 'to', label: t('field.to'), required: true, placeholder: '0x…' },
        { name: 'amount', label: t('field.amount'), required: true, inputmode: 'numeric' },
      ],
      submit: t('checker.check'),
      onSubmit: async (v) => show(out2, await post(`/v1/issuances/${encodeURIComponent(v.issuance)}/transfer-checks`, { from: v.from, to: v.to, amount: v.amount })),
    }), out2),
    section(t('checker.batch'), form({
      fields: [
        { name: 'issuance', label: t('col.issuance'), type: 'number', required: true, value: q.get('issuance') || '' },
        { name: 'addresses', label: t('field.addresses'), type: 'textarea', required: true, rows: 4, hint: t('hint.addresses') },
      ],
      submit: t('checker.check'),
      onSubmit: async (v) => {
        const addresses = v.addresses.split(/[\s,;]+/).filter(Boolean);
        const r = await post(`/v1/issuances/${encodeURIComponent(v.issuance)}/eligibility`, { addresses });
        clear(out3, table({ caption: t('checker.batchCaption'), rowKey: (x) => x.address, rows: r.items, columns: [
          { key: 'address', label: t('field.address'), render: (x) => short(x.address) },
          { key: 'allowed', label: t('col.status'), render: (x) => (x.allowed ? badge('allowed', t('checker.allowed')) : badge('denied', t('checker.denied'))) },
          { key: 'code', label: t('col.reasons'), value: (x) => x.code, render: (x) => (x.reasons.length ? reasonList(x.reasons) : '') },
        ] }));
      },
    }), out3),
    section(t('checker.codes'), h('details', {}, h('summary', {}, t('checker.codesShow')), codes)));
  get('/v1/reason-codes').then((r) => clear(codes, table({ caption: t('checker.codesCaption'), rowKey: (c) => c.code, rows: r.items || [], columns: [
    { key: 'number', label: t('checker.number'), num: true },
    { key: 'code', label: t('checker.code'), render: (c) => h('code', {}, c.code) },
    { key: 'area', label: t('checker.area') },
    { key: 'onChain', label: t('checker.onChain'), render: (c) => (c.onChain ? t('nodes.yes') : t('nodes.no')) },
    { key: 'message', label: t('checker.message'), value: (c) => reasonText(c.code) },
  ] }))).catch(() => clear(codes));
}
