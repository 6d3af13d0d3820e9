import { t, term, formatDate, formatTime } from '../lib/i18n.js';
import { get, post, put, del } from '../lib/api.js';
import { h, table, form, section, badge, dl, clear, toISO, announce, errorBlock, mount } from '../lib/ui.js';
import { kycStatuses, screeningResults, day } from './investors.js';
import { personalSection } from './records.js';

const opts = (values) => values.map((v) => [v, term(v)]);
const categories = ['QII', 'SPECIFIED_INVESTOR', 'GENERAL'];

// One investor: identity, wallets, KYC, screening, categories, freeze.
export async function page({ main, params }) {
  const id = params[0];
  let inv = await get(`/v1/investors/${id}`);
  const head = h('h1', {});
  const summary = h('div');
  const walletsBox = h('div');
  const catsBox = h('div');
  const draw = () => {
    clear(head, t('investor.title', { ref: inv.customerRef }), ' ', inv.frozen ? badge('FROZEN', t('investor.frozen')) : null);
    clear(summary, dl([
      [t('col.id'), inv.id], [t('col.seller'), inv.sellerId], [t('field.customerRef'), inv.customerRef],
      [t('field.personType'), term(inv.personType)], [t('field.residenceCountry'), inv.residenceCountry],
      [t('field.dateOfBirth'), inv.dateOfBirth], [t('field.kyc.status'), badge(inv.kyc.status)], [t('field.kyc.method'), inv.kyc.method],
      [t('field.kyc.verifiedAt'), formatDate(inv.kyc.verifiedAt)], [t('field.kyc.reviewDue'), formatDate(inv.kyc.reviewDue)],
      [t('field.screening.sanctions'), badge(inv.screening.sanctions)], [t('field.screening.antisocial'), badge(inv.screening.antisocial)],
      [t('col.frozen'), inv.frozen ? `${t('investor.frozen')} — ${inv.frozenReason || ''}` : t('investor.notFrozen')],
      [t('col.updated'), formatTime(inv.updatedAt)],
    ]));
    clear(walletsBox, table({ caption: t('investor.walletsCaption'), rowKey: (w) => w.address, empty: t('investor.noWallets'), rows: inv.wallets, columns: [
      { key: 'address', label: t('col.wallet'), render: (w) => h('code', { class: 'hex' }, w.address) },
      { key: 'label', label: t('field.wallets.label') },
      { key: 'frozen', label: t('col.frozen'), render: (w) => (w.frozen ? badge('FROZEN', t('investor.frozen')) : '') },
      { key: 'createdAt', label: t('col.created'), render: (w) => formatTime(w.createdAt) },
      { key: 'actions', label: t('col.actions'), sort: false, render: (w) => h('button', { type: 'button', class: 'danger',
        'aria-label': t('investor.removeWalletNamed', { address: w.address }), onclick: async (ev) => {
          if (!confirm(t('investor.confirmRemoveWallet', { address: w.address }))) return;
          try { await del(`/v1/investors/${id}/wallets/${w.address}`); await reload(); announce(t('saved')); } catch (err) { ev.target.after(errorBlock(err)); }
        } }, t('investor.removeWallet')) },
    ] }));
    clear(catsBox, table({ caption: t('investor.categoriesCaption'), rowKey: (c) => c.category, empty: t('investor.noCategories'), rows: inv.categories, columns: [
      { key: 'category', label: t('field.category'), render: (c) => term(c.category) },
      { key: 'validFrom', label: t('field.validFrom'), render: (c) => formatDate(c.validFrom) },
      { key: 'validTo', label: t('field.validTo'), render: (c) => formatDate(c.validTo) },
      { key: 'actions', label: t('col.actions'), sort: false, render: (c) => h('button', { type: 'button', class: 'danger',
        'aria-label': t('investor.removeCategoryNamed', { category: term(c.category) }), onclick: async (ev) => {
          try {
            inv = await put(`/v1/investors/${id}/categories`, { categories: inv.categories.filter((x) => x.category !== c.category) });
            draw(); announce(t('saved'));
          } catch (err) { ev.target.after(errorBlock(err)); }
        } }, t('investor.removeCategory')) },
    ] }));
  };
  const reload = async () => { inv = await get(`/v1/investors/${id}`); draw(); };
  const saved = async (p) => { inv = await p; draw(); announce(t('saved')); };
  draw();
  mount(main, head, section(t('investor.identity'), summary),
    section(t('investor.wallets'), walletsBox, form({
      legend: t('investor.addWallet'),
      fields: [{ name: 'address', label: t('field.wallets.address'), required: true, placeholder: '0x…' }, { name: 'label', label: t('field.wallets.label') }],
      submit: t('investor.addWalletSubmit'),
      onSubmit: async (v, f) => { await post(`/v1/investors/${id}/wallets`, { address: v.address, label: v.label || undefined }); f.reset(); await reload(); announce(t('saved')); },
    })),
    personalSection(id),
    section(t('investor.kyc'), form({
      fields: [
        { name: 'kyc.status', label: t('field.kyc.status'), type: 'select', options: opts(kycStatuses), value: inv.kyc.status },
        { name: 'kyc.method', label: t('field.kyc.method'), value: inv.kyc.method },
        { name: 'kyc.verifiedAt', label: t('field.kyc.verifiedAt'), type: 'date', value: (inv.kyc.verifiedAt || '').slice(0, 10) },
        { name: 'kyc.reviewDue', label: t('field.kyc.reviewDue'), type: 'date', value: (inv.kyc.reviewDue || '').slice(0, 10) },
      ],
      submit: t('investor.saveKyc'),
      onSubmit: (v) => saved(put(`/v1/investors/${id}/kyc`, { status: v['kyc.status'], method: v['kyc.method'] || undefined,
        verifiedAt: toISO(v['kyc.verifiedAt']), reviewDue: toISO(v['kyc.reviewDue']) })),
    })),
    section(t('investor.screening'), form({
      fields: [
        { name: 'screening.sanctions', label: t('field.screening.sanctions'), type: 'select', options: opts(screeningResults), value: inv.screening.sanctions },
        { name: 'screening.antisocial', label: t('field.screening.antisocial'), type: 'select', options: opts(screeningResults), value: inv.screening.antisocial },
        { name: 'checkedAt', label: t('field.checkedAt'), type: 'date', required: true, value: day(0) },
      ],
      submit: t('investor.saveScreening'),
      onSubmit: (v) => saved(put(`/v1/investors/${id}/screening`, { sanctions: v['screening.sanctions'], antisocial: v['screening.antisocial'], checkedAt: toISO(v.checkedAt) })),
    })),
    section(t('investor.categories'), catsBox, form({
      legend: t('investor.grantCategory'),
      fields: [
        { name: 'category', label: t('field.category'), type: 'select', options: opts(categories) },
        { name: 'validFrom', label: t('field.validFrom'), type: 'date', required: true, value: day(0) },
        { name: 'validTo', label: t('field.validTo'), type: 'date', required: true, value: day(364) },
      ],
      submit: t('investor.grantSubmit'),
      onSubmit: (v) => saved(put(`/v1/investors/${id}/categories`, { categories: [
        ...inv.categories.filter((x) => x.category !== v.category),
        { category: v.category, validFrom: toISO(v.validFrom), validTo: toISO(v.validTo) }] })),
    })),
    section(t('investor.freeze'), form({
      fields: [{ name: 'reason', label: t('field.reason') }],
      submit: t('investor.freezeSubmit'),
      aside: h('button', { type: 'button', onclick: async (ev) => {
        try { await saved(post(`/v1/investors/${id}/unfreeze`, { reason: ev.target.form.elements.reason.value })); } catch (err) { ev.target.after(errorBlock(err)); }
      } }, t('investor.unfreezeSubmit')),
      onSubmit: (v) => saved(post(`/v1/investors/${id}/freeze`, { reason: v.reason })),
    })));
}
