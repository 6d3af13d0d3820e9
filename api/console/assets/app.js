// The console's entry point: the session, the navigation per role and a
// hash router (#/issuances/3) over the pages in pages/.
import { setLanguage, pickLanguage, currentLanguage, t, term } from './lib/i18n.js';
import { request, setCSRF, whenUnauthorized } from './lib/api.js';
import { h, clear, errorBlock, announce, badge, poller } from './lib/ui.js';
import * as signin from './pages/signin.js';
import * as sellers from './pages/sellers.js';
import * as keys from './pages/keys.js';
import * as issuances from './pages/issuances.js';
import * as issuance from './pages/issuance.js';
import * as investors from './pages/investors.js';
import * as investor from './pages/investor.js';
import * as alerts from './pages/alerts.js';
import * as audit from './pages/audit.js';
import * as checker from './pages/checker.js';
import * as webhooks from './pages/webhooks.js';
import * as nodes from './pages/nodes.js';

const app = { session: null, cleanup: [], generation: 0 };

// Routes: pattern, page module, roles that see it.
const routes = [
  [/^\/sellers$/, sellers.list, ['operator']],
  [/^\/sellers\/(\d+)$/, sellers.detail, ['operator']],
  [/^\/keys$/, keys.page, ['operator']],
  [/^\/dashboard$/, issuances.dashboard, ['seller']],
  [/^\/issuances$/, issuances.list, ['operator', 'seller']],
  [/^\/issuances\/(\d+)$/, issuance.page, ['operator', 'seller']],
  [/^\/investors$/, investors.page, ['operator', 'seller']],
  [/^\/investors\/(\d+)$/, investor.page, ['operator', 'seller']],
  [/^\/alerts$/, alerts.page, ['operator', 'seller']],
  [/^\/audit$/, audit.page, ['operator', 'seller']],
  [/^\/checker$/, checker.page, ['operator', 'seller', 'reader']],
  [/^\/webhooks$/, webhooks.page, ['operator', 'seller']],
  [/^\/nodes$/, nodes.page, ['operator']],
];

const navByRole = {
  operator: [['#/sellers', 'nav.sellers'], ['#/keys', 'nav.keys'], ['#/issuances', 'nav.issuances'], ['#/investors', 'nav.investors'],
    ['#/alerts', 'nav.alerts'], ['#/audit', 'nav.audit'], ['#/webhooks', 'nav.webhooks'], ['#/nodes', 'nav.nodes'], ['#/checker', 'nav.checker']],
  seller: [['#/dashboard', 'nav.dashboard'], ['#/investors', 'nav.investors'], ['#/alerts', 'nav.alerts'], ['#/audit', 'nav.audit'],
    ['#/webhooks', 'nav.webhooks'], ['#/checker', 'nav.checker']],
  reader: [['#/checker', 'nav.checker']],
};

const home = { operator: '#/sellers', seller: '#/dashboard', reader: '#/checker' };

export function session() { return app.session; }

export async function signedIn(s) {
  app.session = s;
  setCSRF(s.csrfToken);
  // A seller's staff see their firm's name in the header.
  if (s.role === 'seller') {
    try { s.sellerName = (await request('GET', `/v1/sellers/${s.sellerId}`)).legalName; } catch { /* the key id will do */ }
  }
}

function chrome() {
  document.getElementById('brand').textContent = t('app.name');
  document.getElementById('skip-link').textContent = t('app.skip');
  document.getElementById('lang-label').textContent = t('app.language');
  const out = document.getElementById('signout');
  out.textContent = t('app.signOut');
  out.hidden = !app.session;
  const who = document.getElementById('who');
  who.textContent = app.session ? t('app.who', { role: app.session.sellerName || term(app.session.role), key: app.session.keyId }) : '';
  who.title = who.textContent;
  const nav = document.getElementById('nav');
  const items = app.session ? navByRole[app.session.role] || [] : [];
  const here = location.hash.split('?')[0];
  clear(nav, h('ul', {}, items.map(([href, key]) => h('li', {}, h('a', { href, 'aria-current': here.startsWith(href) ? 'page' : undefined }, t(key))))));
  document.title = t('app.title');
}

// render draws the page the hash names into a fresh container: a render
// still loading when the next one starts (a quick click, a hash change) fills
// a container no longer shown, and its pollers are stopped at once.
async function render() {
  for (const fn of app.cleanup.splice(0)) fn();
  const generation = ++app.generation;
  const root = document.getElementById('main');
  const main = h('div', { class: 'view' });
  clear(root, main);
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, qs] = hash.split('?');
  chrome();
  if (!app.session) {
    clear(main);
    signin.page({ main, onSignedIn: async (s) => {
      await signedIn(s);
      if (location.hash === home[s.role]) render(); else location.hash = home[s.role];
    } });
    return;
  }
  if (path === '/' || path === '/signin') { location.replace(home[app.session.role]); return; }
  const found = routes.find(([re]) => re.test(path));
  clear(main);
  if (!found || !found[2].includes(app.session.role)) {
    main.append(h('h1', {}, t('page.notFound')), h('p', {}, h('a', { href: home[app.session.role] }, t('page.home'))));
    return;
  }
  const params = path.match(found[0]).slice(1);
  const ctx = { main, params, query: new URLSearchParams(qs || ''), session: app.session,
    onCleanup: (fn) => (generation === app.generation ? app.cleanup.push(fn) : fn()) };
  try {
    await found[1](ctx);
  } catch (err) {
    main.append(errorBlock(err));
  }
  // Focus moves to the page's heading so keyboard and screen-reader users start there.
  const h1 = main.querySelector('h1');
  if (h1) { h1.setAttribute('tabindex', '-1'); h1.focus({ preventScroll: true }); }
}

export function rerender() { return render(); }

// readiness shows /readyz in the header: whether the node can do its chain
// work, and if not why (a halted issuance, a stalled chain).
async function readiness() {
  const el = document.getElementById('ready');
  let body = {};
  let ok = false;
  try {
    const res = await fetch('/readyz');
    ok = res.ok;
    body = await res.json();
  } catch { /* unreachable: not ready */ }
  const reasons = (body.reasons || []).join('; ');
  clear(el, ok ? badge('ACTIVE', t('app.ready')) : badge('FAILED', t('app.notReady')));
  el.title = reasons;
  if (!ok && reasons) el.firstChild.append(h('span', { class: 'sr-only' }, `: ${reasons}`));
}

async function boot() {
  await setLanguage(pickLanguage());
  const sel = document.getElementById('lang');
  sel.value = currentLanguage();
  sel.addEventListener('change', async () => { await setLanguage(sel.value, true); announce(t('app.languageChanged')); render(); readiness(); });
  document.getElementById('signout').addEventListener('click', async () => {
    try { await request('DELETE', '/console/session'); } catch { /* the session is gone either way */ }
    app.session = null; setCSRF('');
    location.hash = '#/signin';
    render();
  });
  whenUnauthorized(() => {
    if (!app.session) return;
    app.session = null; setCSRF('');
    sessionStorage.setItem('stonode.ended', '1');
    render();
  });
  try {
    await signedIn(await request('GET', '/console/session'));
  } catch { app.session = null; }
  // Only #/… is a route; the skip link moves focus without leaving the page.
  readiness();
  poller(readiness, 15000);
  window.addEventListener('hashchange', () => { if (location.hash === '' || location.hash.startsWith('#/')) render(); });
  document.getElementById('skip-link').addEventListener('click', (ev) => {
    ev.preventDefault();
    const target = document.querySelector('#main h1') || document.getElementById('main');
    target.setAttribute('tabindex', '-1');
    target.focus();
  });
  render();
}

boot();
