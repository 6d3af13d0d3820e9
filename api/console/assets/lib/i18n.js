// Messages in Japanese and English. The catalogues are JSON files beside this
// module; a key missing from one is a bug the Go tests catch.
const catalogues = {};
let lang = 'en';

export const languages = ['ja', 'en'];

// pickLanguage: the user's earlier choice, else the browser's language.
export function pickLanguage() {
  const saved = localStorage.getItem('stonode.lang');
  if (languages.includes(saved)) return saved;
  for (const l of navigator.languages || [navigator.language || 'en']) {
    const base = String(l).toLowerCase().split('-')[0];
    if (languages.includes(base)) return base;
  }
  return 'en';
}

export async function setLanguage(l, remember) {
  if (!languages.includes(l)) l = 'en';
  if (!catalogues[l]) {
    const res = await fetch(`/console/assets/i18n/${l}.json`, { credentials: 'same-origin' });
    catalogues[l] = await res.json();
  }
  lang = l;
  document.documentElement.lang = l;
  if (remember) localStorage.setItem('stonode.lang', l);
}

export function currentLanguage() { return lang; }

// t returns the message for key with {name} placeholders filled from vars.
export function t(key, vars = {}) {
  const cat = catalogues[lang] || {};
  let msg = cat[key];
  if (msg === undefined) msg = (catalogues.en || {})[key];
  if (msg === undefined) return key;
  return msg.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}

// has reports whether key is in the current catalogue.
export function has(key) { return key in (catalogues[lang] || {}); }

// term translates an enumerated value (a status, a role, a licence) if the
// catalogue knows it, else shows it as the API spells it.
export function term(value) {
  if (value === undefined || value === null || value === '') return '';
  const key = `enum.${value}`;
  return has(key) ? t(key) : String(value);
}

// formatTime shows an RFC 3339 time in the user's locale and time zone.
export function formatTime(v) {
  if (!v) return '';
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) return String(v);
  return d.toLocaleString(lang === 'ja' ? 'ja-JP' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatDate(v) {
  if (!v) return '';
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) return String(v);
  return d.toLocaleDateString(lang === 'ja' ? 'ja-JP' : 'en-GB', { dateStyle: 'medium' });
}
