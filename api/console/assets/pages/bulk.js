// Bulk onboarding: a CSV (or JSON) of investors checked row by row
// (validate), then written all together (apply), with each row's outcome and
// the reason a row was refused next to it.
import { t, term } from '../lib/i18n.js';
import { upload, query } from '../lib/api.js';
import { h, table, section, badge, clear, errorBlock, field, announce } from '../lib/ui.js';
import { translate, reasonText } from '../lib/errors.js';

// The columns of the CSV template (registry.BulkColumns), in its order.
const columns = ['customerRef', 'personType', 'residenceCountry', 'dateOfBirth', 'wallets', 'kycStatus', 'kycMethod', 'kycVerifiedAt',
  'kycReviewDue', 'sanctions', 'sanctionsCheckedAt', 'antisocial', 'antisocialCheckedAt', 'categories', 'approveIssuances', 'approvalValidUntil',
  'legalName', 'kanaName', 'representativeName', 'postalCode', 'address', 'taxCategory', 'email', 'phone', 'externalRef'];

const outcomeState = { CREATED: 'CONFIRMED', APPROVED: 'CONFIRMED', UNCHANGED: 'NONE', ERROR: 'FAILED' };

export function bulkSection(session) {
  const out = h('div', { 'aria-live': 'polite' });
  const fileField = field({ name: 'file', label: t('bulk.file'), type: 'file', hint: t('bulk.fileHint') });
  fileField.querySelector('input').setAttribute('accept', '.csv,.json,text/csv,application/json');
  const sellerField = session.role === 'operator' ? field({ name: 'sellerId', label: t('col.seller'), type: 'number' }) : null;
  const template = URL.createObjectURL(new Blob([`\ufeff${columns.join(',')}\r\n`], { type: 'text/csv;charset=utf-8' }));
  const run = (mode) => async (ev) => {
    const input = fileField.querySelector('input');
    const file = input.files && input.files[0];
    if (!file) { fileField.querySelector('.field-error').textContent = t('v.required', { field: t('bulk.file') }); input.focus(); return; }
    fileField.querySelector('.field-error').textContent = '';
    ev.target.disabled = true;
    try {
      const text = await file.text();
      const type = /\.json$/i.test(file.name) ? 'application/json' : 'text/csv';
      const sellerId = sellerField ? sellerField.querySelector('input').value.trim() : '';
      const { status, data } = await upload(`/v1/investors/bulk${query({ mode, sellerId })}`, text, type, [200, 422]);
      clear(out, summary(data, status), results(data));
      announce(t('bulk.done', { rows: data.rows, failed: data.failed }));
    } catch (err) {
      clear(out, errorBlock(err));
    } finally { ev.target.disabled = false; }
  };
  return section(t('bulk.title'),
    h('p', { class: 'hint' }, t('bulk.intro'), ' ', h('a', { href: template, download: 'investors-template.csv' }, t('bulk.template'))),
    h('div', { class: 'form' }, h('div', { class: 'fields' }, sellerField, fileField),
      h('div', { class: 'actions' },
        h('button', { type: 'button', onclick: run('validate') }, t('bulk.validate')),
        h('button', { type: 'button', class: 'primary', onclick: run('apply') }, t('bulk.apply')))),
    out);
}

function summary(r, status) {
  return h('p', { class: status === 422 ? 'form-error' : 'notice', role: 'status' },
    r.mode === 'apply' ? (r.applied ? t('bulk.applied') : t('bulk.notApplied')) : t('bulk.validated'), ' ',
    t('bulk.counts', { rows: r.rows, created: r.created, approved: r.approved, unchanged: r.unchanged, failed: r.failed }));
}

function results(r) {
  return table({ caption: t('bulk.caption'), rowKey: (x) => x.line, rows: r.results || [], columns: [
    { key: 'line', label: t('bulk.line'), num: true },
    { key: 'customerRef', label: t('field.customerRef') },
    { key: 'outcome', label: t('bulk.outcome'), render: (x) => badge(outcomeState[x.outcome] || 'NONE', term(x.outcome)) },
    { key: 'investorId', label: t('col.investor'), num: true },
    { key: 'approved', label: t('bulk.approvedIn'), value: (x) => (x.approved || []).join(' ') },
    { key: 'message', label: t('col.reasons'), render: (x) => (x.code ? [
      x.reason ? [h('code', {}, x.reason), ' ', reasonText(x.reason), ' '] : null,
      h('span', { class: 'bad' }, translate({ code: x.code, message: x.message || '' }).text)] : '') },
  ] });
}

const allocationState = { MINTED: 'CONFIRMED', PENDING: 'PENDING', ACCEPTED: 'CONFIRMED', REFUSED: 'FAILED', INVALID: 'FAILED' };

// allocationSection: a primary offering from a CSV (investorId or wallet,
// amount), every row checked by the eligibility rules, then minted in
// on-chain batches; onQueued(operationId) follows the batch mint.
export function allocationSection(id, onQueued) {
  const out = h('div', { 'aria-live': 'polite' });
  const fileField = field({ name: 'allocationFile', label: t('allocation.file'), type: 'file', hint: t('allocation.fileHint') });
  fileField.querySelector('input').setAttribute('accept', '.csv,text/csv');
  const template = URL.createObjectURL(new Blob(['\ufeffinvestorId,wallet,amount\r\n'], { type: 'text/csv;charset=utf-8' }));
  const run = (mode) => async (ev) => {
    const input = fileField.querySelector('input');
    const file = input.files && input.files[0];
    if (!file) { fileField.querySelector('.field-error').textContent = t('v.required', { field: t('allocation.file') }); input.focus(); return; }
    fileField.querySelector('.field-error').textContent = '';
    ev.target.disabled = true;
    try {
      const { data } = await upload(`/v1/issuances/${id}/allocations${query({ mode })}`, await file.text(), 'text/csv', [200, 202, 422]);
      clear(out, h('p', { class: data.accepted ? 'notice' : 'form-error', role: 'status' },
        data.accepted ? t(mode === 'apply' ? 'allocation.queued' : 'allocation.valid', { rows: data.rows, total: data.total }) : t('allocation.refused', { rows: data.rows })),
      table({ caption: t('bulk.caption'), rowKey: (x) => x.line, rows: data.results || [], columns: [
        { key: 'line', label: t('bulk.line'), num: true },
        { key: 'investorId', label: t('col.investor'), num: true },
        { key: 'wallet', label: t('col.wallet'), render: (x) => (x.wallet ? h('code', { class: 'hex' }, x.wallet) : '') },
        { key: 'amount', label: t('field.amount'), num: true },
        { key: 'outcome', label: t('bulk.outcome'), render: (x) => badge(allocationState[x.outcome] || 'NONE', term(x.outcome)) },
        { key: 'operationId', label: t('col.operation'), num: true },
        { key: 'message', label: t('col.reasons'), render: (x) => (x.code ? h('span', { class: 'bad' }, translate({ code: x.code, message: x.message || '' }).text) : '') },
      ] }));
      if (mode === 'apply' && data.accepted && data.operationId) await onQueued(data.operationId);
      announce(t('bulk.done', { rows: data.rows, failed: (data.results || []).filter((x) => x.code).length }));
    } catch (err) {
      clear(out, errorBlock(err));
    } finally { ev.target.disabled = false; }
  };
  return h('div', {}, h('p', { class: 'hint' }, t('allocation.intro'), ' ', h('a', { href: template, download: 'allocation-template.csv' }, t('bulk.template'))),
    h('div', { class: 'form' }, h('div', { class: 'fields' }, fileField),
      h('div', { class: 'actions' },
        h('button', { type: 'button', onclick: run('validate') }, t('bulk.validate')),
        h('button', { type: 'button', class: 'primary', onclick: run('apply') }, t('allocation.apply')))),
    out);
}
