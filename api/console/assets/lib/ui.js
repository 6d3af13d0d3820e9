// Small DOM helpers: elements, sortable tables, state badges, forms that keep
// what was typed and show the API's reason next to the field.
import { t, term } from './i18n.js';
import { translate, reasonText } from './errors.js';
import { inBackground } from './api.js';

let idSeq = 0;
export const uid = (p = 'f') => `${p}-${++idSeq}`;

// h builds an element: h('button', {class: 'x', onclick: fn}, 'text', child…).
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'value') el.value = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el, ...children) { el.replaceChildren(); append(el, children); return el; }

// mount appends children to el, skipping empty ones (null, undefined, false).
export function mount(el, ...children) { append(el, children); return el; }

// announce tells screen-reader users what happened.
export function announce(text) {
  const s = document.getElementById('status');
  if (s) { s.textContent = ''; setTimeout(() => { s.textContent = text; }, 30); }
}

const stateClass = {
  CONFIRMED: 'ok', SUCCEEDED: 'ok', ACTIVE: 'ok', APPROVED: 'ok', VERIFIED: 'ok', CLEAR: 'ok', OFFERING: 'ok', ISSUED: 'ok', allowed: 'ok',
  PENDING: 'wait', SENT: 'wait', RUNNING: 'wait', REGISTERED: 'wait', DRAFT: 'idle', NONE: 'idle',
  REQUESTED: 'wait', SCHEDULED: 'wait', RELEASING: 'wait', APPLIED: 'ok', DELIVERED: 'ok', RELEASED: 'idle', CANCELLED: 'idle', EXPIRED: 'idle',
  FAILED: 'bad', REVOKED: 'bad', SUSPENDED: 'bad', HIT: 'bad', REJECTED: 'bad', REDEEMED: 'idle', denied: 'bad', FROZEN: 'bad',
};

// badge shows a state in words and colour (never colour alone).
export function badge(state, label) {
  return h('span', { class: `badge badge-${stateClass[state] || 'idle'}`, dataset: { state } }, label || term(state));
}

// table renders rows under columns {key, label, value?(row), render?(row),
// num?} with sort buttons in the headers (keyboard reachable, aria-sort).
export function table({ caption, columns, rows, empty, rowKey }) {
  let sortKey = null;
  let dir = 1;
  const wrap = h('div', { class: 'table-wrap' });
  const draw = () => {
    const sorted = rows.slice();
    if (sortKey) {
      const col = columns.find((c) => c.key === sortKey);
      const val = col.value || ((r) => r[col.key]);
      sorted.sort((a, b) => dir * compare(val(a), val(b)));
    }
    const head = h('tr', {}, columns.map((c) => {
      const sortable = c.sort !== false;
      const aria = sortKey === c.key ? (dir > 0 ? 'ascending' : 'descending') : (sortable ? 'none' : undefined);
      const th = h('th', { scope: 'col', 'aria-sort': aria, class: c.num ? 'num' : undefined });
      if (sortable) {
        th.append(h('button', { type: 'button', class: 'sort', onclick: () => {
          dir = sortKey === c.key ? -dir : 1; sortKey = c.key; draw();
          wrap.querySelector(`th[data-key="${c.key}"] button`)?.focus();
        } }, c.label, h('span', { 'aria-hidden': 'true', class: 'arrow' }, sortKey === c.key ? (dir > 0 ? ' ▲' : ' ▼') : ' ↕')));
      } else th.append(c.label);
      th.dataset.key = c.key;
      return th;
    }));
    const body = sorted.length
      ? sorted.map((r) => h('tr', { dataset: rowKey ? { key: rowKey(r) } : {} }, columns.map((c) => h('td', { class: c.num ? 'num' : undefined },
        c.render ? c.render(r) : fmt((c.value || ((x) => x[c.key]))(r))))))
      : [h('tr', {}, h('td', { colspan: columns.length, class: 'empty' }, empty || t('table.empty')))];
    clear(wrap, h('table', { class: 'grid' }, caption ? h('caption', {}, caption) : null, h('thead', {}, head), h('tbody', {}, body)));
  };
  draw();
  wrap.update = (newRows) => { rows = newRows; draw(); };
  return wrap;
}

function fmt(v) { return v === undefined || v === null ? '' : String(v); }

function compare(a, b) {
  if (a === b) return 0;
  if (a === undefined || a === null || a === '') return 1;
  if (b === undefined || b === null || b === '') return -1;
  const na = Number(a); const nb = Number(b);
  if (typeof a !== 'boolean' && !Number.isNaN(na) && !Number.isNaN(nb) && String(a).trim() !== '' && String(b).trim() !== '') {
    if (String(a).length > 15 || String(b).length > 15) { // uint256 amounts: compare as big integers
      try { const x = BigInt(a); const y = BigInt(b); return x < y ? -1 : x > y ? 1 : 0; } catch { /* not integers */ }
    }
    return na - nb;
  }
  return String(a).localeCompare(String(b));
}

// field builds one labelled input: {name, label, type, options, required,
// value, hint, placeholder}. options: [[value, label]] for a select.
export function field(f) {
  const id = uid(f.name.replace(/\W/g, '-'));
  const errId = `${id}-err`;
  const hintId = f.hint ? `${id}-hint` : null;
  let input;
  if (f.type === 'select') {
    input = h('select', { id, name: f.name, required: f.required }, f.options.map(([v, l]) => h('option', { value: v }, l)));
    if (f.value !== undefined) input.value = f.value;
  } else if (f.type === 'textarea') {
    input = h('textarea', { id, name: f.name, required: f.required, rows: f.rows || 3, placeholder: f.placeholder });
    if (f.value) input.value = f.value;
  } else if (f.type === 'checkbox') {
    input = h('input', { id, name: f.name, type: 'checkbox', checked: f.value ? true : undefined });
  } else {
    input = h('input', { id, name: f.name, type: f.type || 'text', required: f.required, value: f.value,
      placeholder: f.placeholder, autocomplete: f.autocomplete || 'off', spellcheck: 'false', inputmode: f.inputmode });
  }
  input.setAttribute('aria-describedby', [hintId, errId].filter(Boolean).join(' '));
  return h('div', { class: `field${f.type === 'checkbox' ? ' check' : ''}`, dataset: { field: f.name } },
    h('label', { for: id }, f.label, f.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
    input,
    hintId ? h('small', { id: hintId, class: 'hint' }, f.hint) : null,
    h('span', { id: errId, class: 'field-error', role: 'alert' }));
}

// form builds a form of fields whose submit calls onSubmit(values); an API
// refusal is shown next to the field it names (or above the button), and
// nothing typed is cleared. values maps each field name to its string (or
// boolean for a checkbox).
export function form({ fields, submit, onSubmit, className, legend, aside }) {
  const errBox = h('div', { class: 'form-error', role: 'alert' });
  const button = h('button', { type: 'submit', class: 'primary' }, submit);
  const el = h('form', { class: `form ${className || ''}`, novalidate: true },
    legend ? h('h3', {}, legend) : null,
    h('div', { class: 'fields' }, fields.map(field)),
    errBox, h('div', { class: 'actions' }, button, aside || null));
  el.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    for (const e of el.querySelectorAll('.field-error')) e.textContent = '';
    for (const e of el.querySelectorAll('[aria-invalid]')) e.removeAttribute('aria-invalid');
    clear(errBox);
    const values = {};
    for (const f of fields) {
      const input = el.elements.namedItem(f.name);
      values[f.name] = f.type === 'checkbox' ? input.checked : input.value.trim();
    }
    const missing = fields.filter((f) => f.required && values[f.name] === '');
    if (missing.length) {
      for (const f of missing) showFieldError(el, f.name, t('v.required', { field: f.label }));
      el.elements.namedItem(missing[0].name).focus();
      return;
    }
    button.disabled = true;
    try {
      await onSubmit(values, el);
    } catch (err) {
      showError(el, errBox, err);
    } finally {
      button.disabled = false;
    }
  });
  return el;
}

function showFieldError(formEl, name, text) {
  const wrap = formEl.querySelector(`[data-field="${CSS.escape(name)}"]`);
  if (!wrap) return false;
  wrap.querySelector('.field-error').textContent = text;
  wrap.querySelector('input,select,textarea').setAttribute('aria-invalid', 'true');
  return true;
}

// showError puts an API error next to its field when the message names one
// the form has, else in the form's error box, with every reason listed.
export function showError(formEl, errBox, err) {
  if (!err || err.status === undefined) {
    clear(errBox, h('p', {}, String(err && err.message ? err.message : err)));
    return;
  }
  const { text, field: name } = translate(err);
  const names = formEl ? [...formEl.querySelectorAll('[data-field]')].map((x) => x.dataset.field) : [];
  let target = names.find((n) => n === name);
  if (!target && err.code === 'invalid') {
    // the earliest form field the message names
    let best = Infinity;
    for (const n of names) {
      const i = err.message.search(new RegExp(`(^|[\\s"])${n.replace(/\./g, '\\.')}([\\s":.,]|$)`));
      if (i >= 0 && i < best) { best = i; target = n; }
    }
  }
  if (target && showFieldError(formEl, target, text)) {
    formEl.querySelector(`[data-field="${CSS.escape(target)}"] input, [data-field="${CSS.escape(target)}"] select`)?.focus();
    if (!err.reasons.length) return;
  }
  clear(errBox, h('p', {}, text), err.reasons.length ? reasonList(err.reasons) : null);
}

// reasonList shows every failing rule: code, number and message.
export function reasonList(reasons) {
  return h('ul', { class: 'reasons' }, reasons.map((r) => h('li', { dataset: { code: r.code } },
    h('code', {}, r.code), ` (${r.number}) `, h('span', { class: 'reason-msg' }, reasonText(r.code)),
    r.message && r.message !== reasonText(r.code) ? h('small', { class: 'detail', lang: 'en' }, ` — ${r.message}`) : null)));
}

// errorBlock renders an error outside any form (loading a page).
export function errorBlock(err) {
  const box = h('div', { class: 'form-error', role: 'alert' });
  showError(null, box, err);
  return box;
}

// section is a titled region of a page.
export function section(title, ...children) {
  const id = uid('sec');
  return h('section', { class: 'panel', 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

// dl renders label/value pairs.
export function dl(pairs) {
  return h('dl', { class: 'terms' }, pairs.filter(Boolean).map(([k, v]) => [h('dt', {}, k), h('dd', {}, v === undefined || v === null || v === '' ? '—' : v)]));
}

// link to a console route.
export const link = (href, text) => h('a', { href }, text);

// short shortens a hex address or hash for a table cell (full value in title).
export function short(hex) {
  if (!hex) return '';
  return h('code', { title: hex, class: 'hex' }, hex.length > 14 ? `${hex.slice(0, 8)}…${hex.slice(-6)}` : hex);
}

// poller calls fn every ms while the page is showing it; stop() ends it.
export function poller(fn, ms) {
  let timer = null;
  let stopped = false;
  const tick = async () => {
    if (stopped) return;
    if (!document.hidden) { try { await inBackground(fn); } catch { /* shown by fn */ } }
    if (!stopped) timer = setTimeout(tick, ms);
  };
  timer = setTimeout(tick, ms);
  return { stop() { stopped = true; clearTimeout(timer); } };
}

// toISO turns a date (YYYY-MM-DD) or datetime-local value into RFC 3339 UTC.
export function toISO(v) {
  if (!v) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return `${v}T00:00:00Z`;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? v : d.toISOString();
}
