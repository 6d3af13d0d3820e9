// The REST API, called with the console session: the cookie travels by
// itself (same origin), the CSRF token goes in a header on every request that
// changes something.
let csrfToken = '';
let background = 0; // > 0 while a poller refreshes: those requests are not use
let onUnauthorized = () => {};

export function setCSRF(token) { csrfToken = token || ''; }

// inBackground runs fn with its requests marked as the console's own
// refreshes, which do not keep the session from its idle timeout.
export async function inBackground(fn) {
  background += 1;
  try { return await fn(); } finally { background -= 1; }
}
export function whenUnauthorized(fn) { onUnauthorized = fn; }

export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || `HTTP ${status}`);
    this.status = status;
    this.code = e.code || 'internal';
    this.reasons = e.reasons || [];
  }
}

export async function request(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = csrfToken;
  if (background > 0 && method === 'GET') headers['X-Console-Background'] = '1';
  const init = { method, headers, credentials: 'same-origin' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  if (res.status === 204) return null;
  const text = await res.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = { error: { code: 'internal', message: text } }; }
  }
  if (!res.ok) {
    const err = new ApiError(res.status, data);
    if (res.status === 401 && !path.startsWith('/console/session')) onUnauthorized(err);
    throw err;
  }
  return data;
}

// upload posts a file's text as contentType; it answers {status, data} for
// the statuses the caller expects (a bulk upload's 422 carries its per-row
// results) and throws ApiError for the others.
export async function upload(path, text, contentType, expected = [200]) {
  const res = await fetch(path, { method: 'POST', credentials: 'same-origin', body: text,
    headers: { Accept: 'application/json', 'Content-Type': contentType, 'X-CSRF-Token': csrfToken } });
  const raw = await res.text();
  let data = null;
  try { data = raw ? JSON.parse(raw) : null; } catch { data = { error: { code: 'internal', message: raw } }; }
  if (expected.includes(res.status)) return { status: res.status, data };
  const err = new ApiError(res.status, data);
  if (res.status === 401) onUnauthorized(err);
  throw err;
}

export const get = (p) => request('GET', p);
export const post = (p, b) => request('POST', p, b);
export const put = (p, b) => request('PUT', p, b);
export const del = (p) => request('DELETE', p);

// getAll reads a listing page by page (limit 500, following next) up to
// maxPages pages: {items, truncated} where truncated says more were left.
export async function getAll(path, maxPages = 20) {
  const items = [];
  const sep = path.includes('?') ? '&' : '?';
  let after = '';
  for (let i = 0; i < maxPages; i += 1) {
    const page = await get(`${path}${sep}limit=500${after ? `&after=${encodeURIComponent(after)}` : ''}`);
    items.push(...(page.items || []));
    if (page.next === undefined || page.next === null) return { items, truncated: false };
    after = String(page.next);
  }
  return { items, truncated: true };
}

// query builds a query string from the non-empty values of params.
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, v);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

// metrics reads the Prometheus text of /metrics (any role) into
// {name: [{labels, value}]} for the series asked for.
export async function metrics(names) {
  const res = await fetch('/metrics', { credentials: 'same-origin', headers: background > 0 ? { 'X-Console-Background': '1' } : {} });
  if (!res.ok) return {};
  const out = {};
  for (const line of (await res.text()).split('\n')) {
    if (!line || line[0] === '#') continue;
    const m = line.match(/^([a-zA-Z_:][\w:]*)(\{([^}]*)\})?\s+(\S+)/);
    if (!m || !names.includes(m[1])) continue;
    const labels = {};
    for (const kv of (m[3] || '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[kv[1]] = kv[2];
    (out[m[1]] ||= []).push({ labels, value: Number(m[4]) });
  }
  return out;
}
