import { t, formatTime } from '../lib/i18n.js';
import { get, post } from '../lib/api.js';
import { h, form, section, badge, clear, reasonList, mount } from '../lib/ui.js';

// The eligibility checker: may a wallet receive this issuance's token, and
// may a transfer go through? Every failing reason is listed with its message.
export async function page({ main, query: q }) {
  const out = h('div', { 'aria-live': 'polite', class: 'result', id: 'check-result' });
  const out2 = h('div', { 'aria-live': 'polite', class: 'result', id: 'transfer-result' });
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
    }), out2));
}
