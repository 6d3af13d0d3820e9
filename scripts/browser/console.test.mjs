// Browser tests of the stonode web console (issue 12's "Done when"), against
// a real `stonode serve` on a fresh data directory with the embedded chain,
// driven by playwright-core in Debian's headless Chromium.
//
//   STONODE_BIN=bin/stonode node scripts/browser/console.test.mjs
//
// Each step prints "ok - <name>" or "not ok - <name>" (TAP); a step after a
// failed one is reported "not ok … # skipped" so nothing is silently left out.
// The exit status is 0 only if every step passed. SCREENSHOT=<file.png> also
// saves the issuance page (the README's picture); SHOTS_DIR=<dir> saves every
// page state axe checks.
import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, mkdirSync, createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const bin = process.env.STONODE_BIN || join(here, '../../bin/stonode');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const stepTimeout = Number(process.env.STEP_TIMEOUT_MS || 90000);

const WALLET = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8'; // anvil #1, funded on the embedded chain
const UNKNOWN = '0x2222222222222222222222222222222222222222';
const WALLET_UNKNOWN_JA = 'このウォレットは登録済みのどの投資家にも属していません';

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
    s.on('error', reject);
  });
}

async function waitReady(base, proc, ms) {
  const until = Date.now() + ms;
  let last = '';
  while (Date.now() < until) {
    if (proc.exitCode !== null) throw new Error(`stonode exited with ${proc.exitCode}`);
    try {
      const res = await fetch(`${base}/readyz`);
      last = `${res.status} ${await res.text()}`;
      if (res.ok) return;
    } catch (err) { last = String(err); }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`stonode not ready after ${ms} ms; last /readyz: ${last}`);
}

const results = [];
let failed = false;
async function step(name, fn) {
  if (failed) { results.push([false, `${name} # skipped after an earlier failure`]); console.log(`not ok - ${name} # skipped`); return; }
  const started = Date.now();
  try {
    await fn();
    results.push([true, name]);
    console.log(`ok - ${name} (${Date.now() - started} ms)`);
  } catch (err) {
    failed = true;
    results.push([false, name]);
    console.log(`not ok - ${name}\n  ${String(err && err.stack || err).split('\n').slice(0, 6).join('\n  ')}`);
  }
}

function assert(cond, msg) { if (!cond) throw new Error(msg); }

const dataDir = mkdtempSync(join(tmpdir(), 'stonode-console-'));
const profile = mkdtempSync(join(tmpdir(), 'stonode-chromium-'));
const outDir = join(here, 'out');
mkdirSync(outDir, { recursive: true });
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const log = createWriteStream(join(outDir, 'stonode.log'));
const node = spawn(bin, ['serve', '--addr', `127.0.0.1:${port}`, '--data-dir', dataDir, '--chain-rpc-addr', '', '--log-level', 'warn'],
  { stdio: ['ignore', 'ignore', 'pipe'] });
node.stderr.pipe(log);

let context;
const a11y = []; // [page name, violations]
try {
  await waitReady(base, node, 120000);
  const operatorKey = execFileSync(bin, ['keys', 'create', '--role', 'operator', '--name', 'browser test', '--data-dir', dataDir], { encoding: 'utf8' }).trim();
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    locale: 'en-GB',
    viewport: { width: 1360, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  context.setDefaultTimeout(stepTimeout);
  const page = context.pages()[0] || await context.newPage();
  const consoleErrors = [];
  page.on('pageerror', (err) => consoleErrors.push(String(err)));

  const go = async (hash) => {
    await page.goto(`${base}/console/${hash}`);
    await page.locator('main h1').first().waitFor();
  };
  // axe checks the page as it is now; serious or critical violations fail the run.
  const audit = async (name) => {
    await page.waitForTimeout(150);
    const violations = await page.evaluate(async (src) => {
      if (!window.axe) (0, eval)(src); // evaluated by the test, outside the page's CSP
      const r = await window.axe.run(document, { resultTypes: ['violations'] });
      return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
    }, axeSource);
    a11y.push([name, violations]);
    if (process.env.SHOTS_DIR) await page.screenshot({ path: join(process.env.SHOTS_DIR, `${name.replace(/\W+/g, '-')}.png`), fullPage: true });
  };
  const signIn = async (key) => {
    await page.goto(`${base}/console/#/signin`);
    await page.getByLabel(/API key|API キー/).fill(key);
    await page.getByRole('button', { name: /^(Sign in|サインイン)$/ }).click();
    await page.locator('#signout:not([hidden])').waitFor();
  };
  const signOut = async () => {
    await page.locator('#signout').click();
    await page.getByRole('heading', { level: 1, name: /Sign in|サインイン/ }).waitFor();
  };
  // A field by its label, with or without the required-field star.
  const fieldIn = (form, label) => form.getByLabel(new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\*)?$`));
  const newSellerKey = async (legalName, corp) => {
    await go('#/sellers');
    const form = page.locator('form', { has: page.getByRole('button', { name: 'Register seller' }) });
    await fieldIn(form, 'Legal name').fill(legalName);
    await fieldIn(form, 'Corporate number').fill(corp);
    await fieldIn(form, 'FSA registration').fill('関東財務局長(金商)第44号');
    await form.getByRole('button', { name: 'Register seller' }).click();
    await page.getByRole('heading', { level: 1, name: legalName }).waitFor();
    const keyForm = page.locator('form', { has: page.getByRole('button', { name: 'Create key' }) });
    await fieldIn(keyForm, 'Key label').fill(`${legalName} back office`);
    await keyForm.getByRole('button', { name: 'Create key' }).click();
    const secret = await page.locator('output.secret').getAttribute('data-secret');
    assert(/^stn_[0-9a-f]{16}_/.test(secret || ''), `no key shown: ${secret}`);
    return secret;
  };

  let sellerKey; let otherKey; let readerKey; let issuanceId;
  await step('the sign-in page passes axe', async () => {
    await page.goto(`${base}/console/`);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await audit('sign-in');
  });
  await step('a wrong key is refused next to the field, and the typed key is kept', async () => {
    await page.getByLabel('API key').fill('stn_0000000000000000_wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Invalid or revoked API key').waitFor();
    assert(await page.getByLabel('API key').inputValue() === 'stn_0000000000000000_wrong', 'the typed key was cleared');
  });
  await step('the operator registers a seller and creates its key', async () => {
    await signIn(operatorKey);
    await page.getByRole('heading', { level: 1, name: 'Sellers' }).waitFor();
    await audit('sellers');
    sellerKey = await newSellerKey('Alpha Securities Co., Ltd.', '7000012050002');
    await audit('seller detail');
    otherKey = await newSellerKey('Beta Securities Co., Ltd.', '1180301018771');
  });
  await step('a refused form keeps its input and shows the reason next to the field', async () => {
    await go('#/sellers');
    const form = page.locator('form', { has: page.getByRole('button', { name: 'Register seller' }) });
    await fieldIn(form, 'Legal name').fill('Gamma Securities');
    await fieldIn(form, 'Corporate number').fill('1234567890123');
    await fieldIn(form, 'FSA registration').fill('関東財務局長(金商)第99号');
    await form.getByRole('button', { name: 'Register seller' }).click();
    const err = form.locator('[data-field="corporateNumber"] .field-error');
    await err.filter({ hasText: 'corporate number must have 13 digits' }).waitFor();
    assert(await fieldIn(form, 'Legal name').inputValue() === 'Gamma Securities', 'input lost after a refusal');
    assert(await fieldIn(form, 'Corporate number').getAttribute('aria-invalid') === 'true', 'field not marked invalid');
  });
  await step('the operator pages pass axe', async () => {
    for (const [hash, name] of [['#/keys', 'keys'], ['#/issuances', 'issuances'], ['#/investors', 'investors (operator)'], ['#/alerts', 'alerts'],
      ['#/audit', 'audit'], ['#/webhooks', 'webhooks'], ['#/nodes', 'nodes'], ['#/checker', 'checker']]) {
      await go(hash);
      await audit(name);
    }
    await go('#/keys');
    const keyForm = page.locator('form', { has: page.getByRole('button', { name: 'Create key' }) });
    await fieldIn(keyForm, 'Role').selectOption('reader');
    await fieldIn(keyForm, 'Key label').fill('venue');
    await keyForm.getByRole('button', { name: 'Create key' }).click();
    readerKey = await page.locator('output.secret').getAttribute('data-secret');
    assert(/^stn_/.test(readerKey || ''), 'no reader key shown');
    await go('#/audit?entity=seller');
    await page.locator('table.grid tbody tr td', { hasText: 'seller' }).first().waitFor();
    await signOut();
  });
  await step('the seller signs in and registers an issuance', async () => {
    await signIn(sellerKey);
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    await audit('dashboard');
    const form = page.locator('form', { has: page.getByRole('button', { name: 'Register issuance' }) });
    await fieldIn(form, 'Issuer').fill('Tokyo Office REIT');
    await fieldIn(form, 'Token name').fill('Tokyo Office');
    await fieldIn(form, 'Symbol').fill('TOF');
    await fieldIn(form, 'Legal form').selectOption('TRUST_BENEFICIARY');
    await fieldIn(form, 'Offering type').selectOption('PUBLIC');
    await form.getByRole('button', { name: 'Register issuance' }).click();
    await page.waitForURL(/#\/issuances\/\d+$/);
    issuanceId = page.url().match(/issuances\/(\d+)$/)[1];
    await page.getByRole('heading', { level: 1, name: 'Tokyo Office (TOF) DRAFT' }).waitFor();
  });
  await step('the seller moves it to OFFERING', async () => {
    const form = page.locator('form', { has: page.getByRole('button', { name: 'Change status' }) });
    await fieldIn(form, 'New status').selectOption('REGISTERED');
    await form.getByRole('button', { name: 'Change status' }).click();
    await page.getByRole('heading', { level: 1, name: 'Tokyo Office (TOF) REGISTERED' }).waitFor();
    assert(await fieldIn(form, 'New status').inputValue() === 'REGISTERED', 'status form lost its value');
    await fieldIn(form, 'New status').selectOption('OFFERING');
    await form.getByRole('button', { name: 'Change status' }).click();
    await page.getByRole('heading', { level: 1, name: 'Tokyo Office (TOF) OFFERING' }).waitFor();
  });
  await step('the seller deploys it on the embedded chain and sees the operation succeed', async () => {
    await page.getByRole('button', { name: 'Deploy token' }).click();
    const ops = page.locator('table.grid', { has: page.locator('caption', { hasText: 'Every operation on this issuance' }) });
    await ops.locator('tbody tr', { hasText: 'Deploy' }).locator('[data-state="SUCCEEDED"]').waitFor();
    await page.locator('dd code.hex').first().waitFor(); // the token address in the chain section
  });
  await step('the seller onboards an investor with a wallet', async () => {
    await go('#/investors');
    await audit('investors');
    const form = page.locator('form', { has: page.getByRole('button', { name: 'Onboard investor' }) });
    await fieldIn(form, 'Customer reference').fill('C-0001');
    await fieldIn(form, 'Date of birth').fill('1980-04-01');
    await fieldIn(form, 'Wallet address').fill(WALLET);
    await form.getByRole('button', { name: 'Onboard investor' }).click();
    await page.getByRole('heading', { level: 1, name: 'Investor C-0001' }).waitFor();
    await page.locator('td code.hex', { hasText: WALLET }).waitFor();
    await audit('investor');
  });
  await step('a bulk upload is validated row by row, with the reason beside each refused row', async () => {
    await go('#/investors');
    const csv = 'customerRef,personType,residenceCountry,wallets\nC-0002,INDIVIDUAL,JP,0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc\nC-0003,INDIVIDUAL,XX,\n';
    await page.getByLabel(/^File \(CSV or JSON\)/).setInputFiles({ name: 'investors.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Validate' }).click();
    const results = page.locator('table.grid', { has: page.locator('caption', { hasText: "Each row's outcome" }) });
    await results.locator('tbody tr[data-key="3"]', { hasText: 'C-0003' }).filter({ hasText: 'refused' }).waitFor();
    const why = await results.locator('tbody tr[data-key="3"] .bad').innerText();
    assert(/residence country/i.test(why), `row 3's reason: ${why}`);
    await results.locator('tbody tr[data-key="2"]', { hasText: 'C-0002' }).waitFor();
    assert(await results.locator('tbody tr[data-key="2"] .bad').count() === 0, 'row 2 refused');
    await audit('investors (bulk results)');
  });
  await step('the seller approves it and sees CONFIRMED appear without a reload', async () => {
    await go(`#/issuances/${issuanceId}`);
    await page.evaluate(() => { window.__sameDocument = true; });
    const form = page.locator('form', { has: page.getByRole('button', { name: 'Approve', exact: true }) });
    await fieldIn(form, 'Investor').fill('1');
    await form.getByRole('button', { name: 'Approve', exact: true }).click();
    const row = page.locator('table.grid', { has: page.locator('caption', { hasText: 'Approved investors' }) }).locator('tbody tr[data-key="1"]');
    await row.waitFor();
    await row.locator('[data-state="CONFIRMED"]').waitFor();
    assert(await page.evaluate(() => window.__sameDocument === true), 'the page was reloaded');
  });
  await step('the seller mints and sees the holder', async () => {
    const form = page.locator('form', { has: page.getByRole('button', { name: 'Send' }) });
    await fieldIn(form, 'Kind').selectOption('mint');
    await fieldIn(form, 'To').fill(WALLET);
    await fieldIn(form, 'Amount').fill('100');
    await form.getByRole('button', { name: 'Send' }).click();
    const ops = page.locator('table.grid', { has: page.locator('caption', { hasText: 'Every operation on this issuance' }) });
    await ops.locator('tbody tr', { hasText: 'Mint' }).locator('[data-state="SUCCEEDED"]').waitFor();
    const holders = page.locator('table.grid', { has: page.locator('caption', { hasText: 'Balances mirrored' }) });
    await holders.locator('tbody tr', { hasText: WALLET }).filter({ hasText: '100' }).waitFor();
    assert(await page.evaluate(() => window.__sameDocument === true), 'the page was reloaded');
    await audit('issuance');
    if (process.env.SCREENSHOT) {
      await page.evaluate(() => window.scrollTo(0, 0));
      // The top of the page, down to holders and transfers: what the README shows.
      await page.screenshot({ path: process.env.SCREENSHOT, fullPage: true, clip: { x: 0, y: 0, width: 1360, height: 1780 } });
    }
  });
  await step('the operations table lists every operation of the issuance: after a reload, and as the API starts more', async () => {
    // A fresh tab state: nothing of this browser's own is left to follow.
    await page.evaluate(() => sessionStorage.clear());
    await page.reload();
    await page.locator('main h1').first().waitFor();
    await page.evaluate(() => { window.__sameDocument = true; });
    const ops = page.locator('table.grid', { has: page.locator('caption', { hasText: 'Every operation on this issuance' }) });
    const mint = ops.locator('tbody tr', { hasText: 'Mint' });
    await mint.locator('[data-state="SUCCEEDED"]').waitFor();
    assert(/\b100\b/.test(await mint.innerText()), `mint row: ${await mint.innerText()}`);
    await ops.locator('tbody tr', { hasText: 'Deploy' }).locator('[data-state="SUCCEEDED"]').waitFor();
    // An operation started on the API, not in this tab: a redemption from a
    // wallet that holds nothing, which the token refuses (nothing is sent).
    const res = await fetch(`${base}/v1/issuances/${issuanceId}/redemptions`, { method: 'POST',
      headers: { Authorization: `Bearer ${sellerKey}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ from: UNKNOWN, amount: '1' }) });
    const queued = await res.json();
    assert(res.status === 202 && queued.id, `redemption: ${res.status} ${JSON.stringify(queued)}`);
    await ops.locator(`tbody tr[data-key="${queued.id}"]`).locator('[data-state="FAILED"]').waitFor();
    assert(await ops.locator('tbody tr').first().getAttribute('data-key') === String(queued.id), 'the newest operation is not first');
    assert(await page.evaluate(() => window.__sameDocument === true), 'the page was reloaded');
    // The kind filter asks the API for mints only.
    const filters = page.getByRole('search', { name: 'Filter operations' });
    await filters.getByLabel('Kind').selectOption('MINT');
    await filters.getByRole('button', { name: 'Apply' }).click();
    await ops.locator('tbody tr', { hasText: 'Deploy' }).waitFor({ state: 'detached' });
    const kinds = await ops.locator('tbody tr td:nth-child(2)').allInnerTexts();
    assert(kinds.length === 1 && kinds[0] === 'Mint', `filtered kinds: ${kinds}`);
    await audit('issuance (operations filtered)');
    await filters.getByLabel('Kind').selectOption('');
    await filters.getByRole('button', { name: 'Apply' }).click();
    await ops.locator('tbody tr', { hasText: 'Deploy' }).waitFor();
  });
  await step("the seller's dashboard shows the issuance with its holder count", async () => {
    await go('#/dashboard');
    const row = page.locator(`table.grid tbody tr[data-key="${issuanceId}"]`);
    await row.waitFor();
    const cells = row.locator('td');
    const headers = await page.locator('table.grid thead th').allInnerTexts();
    const col = (label) => headers.findIndex((x) => x.startsWith(label));
    await page.waitForFunction(([sel, i]) => document.querySelector(sel)?.children[i]?.textContent === '1',
      [`table.grid tbody tr[data-key="${issuanceId}"]`, col('Holders')]);
    assert(await cells.nth(col('Whitelist not confirmed')).innerText() === '0', 'unconfirmed whitelist entries');
    assert(await cells.nth(col('Status')).innerText() === 'OFFERING', 'status');
    await audit('dashboard (with an issuance)');
    await go(`#/issuances/${issuanceId}`);
  });
  await step('the register of holders at a block lists the holder, with its CSV downloads', async () => {
    const block = await page.evaluate(async (id) => (await (await fetch(`/v1/issuances/${id}/holders`)).json()).asOfBlock, issuanceId);
    const form = page.locator('form', { has: page.getByRole('button', { name: 'Show register' }) });
    await fieldIn(form, 'Record date block').fill(String(block));
    await form.getByRole('button', { name: 'Show register' }).click();
    const reg = page.locator('table.grid', { has: page.locator('caption', { hasText: 'Holders at the record date' }) });
    await reg.locator('tbody tr', { hasText: '100' }).filter({ hasText: 'C-0001' }).waitFor();
    const href = await page.getByRole('link', { name: 'CSV (UTF-8, Excel)' }).getAttribute('href');
    const csv = await page.evaluate(async (u) => { const r = await fetch(u); return { status: r.status, type: r.headers.get('content-type'), text: await r.text() }; }, href);
    assert(csv.status === 200 && /text\/csv/.test(csv.type) && csv.text.includes('100'), `register CSV: ${csv.status} ${csv.type}`);
    await page.locator('table.grid', { has: page.locator('caption', { hasText: 'Transfer applications' }) }).waitFor();
    await page.locator('table.grid', { has: page.locator('caption', { hasText: 'Locked holdings' }) }).waitFor();
  });
  await step('a form posted without the CSRF token is refused', async () => {
    const r = await page.evaluate(async (id) => {
      const res = await fetch(`/v1/issuances/${id}/status`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"status":"ISSUED"}' });
      return { status: res.status, body: await res.json() };
    }, issuanceId);
    assert(r.status === 403 && r.body.error.code === 'forbidden', `fetch without the token: ${JSON.stringify(r)}`);
    // A plain HTML form (what a cross-site attacker would post) carries no token either.
    const [response] = await Promise.all([
      page.waitForNavigation(),
      page.evaluate(() => {
        const f = document.createElement('form');
        f.method = 'POST'; f.action = '/v1/investors/1/freeze';
        const i = document.createElement('input'); i.name = 'reason'; i.value = 'csrf'; f.append(i);
        document.body.append(f); f.submit();
      }),
    ]);
    assert(response.status() === 403, `HTML form post: ${response.status()}`);
    assert((await response.text()).includes('CSRF'), 'the refusal does not name the CSRF token');
    await go(`#/investors/1`);
    await page.getByRole('heading', { level: 1, name: 'Investor C-0001' }).waitFor();
    assert(await page.getByText('frozen', { exact: true }).count() === 0, 'the investor was frozen without a token');
    await page.getByRole('heading', { level: 1, name: 'Investor C-0001' }).waitFor();
    await go(`#/issuances/${issuanceId}`);
    await page.getByRole('heading', { level: 1, name: 'Tokyo Office (TOF) OFFERING' }).waitFor();
  });
  await step('the checker shows WALLET_UNKNOWN with its Japanese message', async () => {
    await go(`#/checker?issuance=${issuanceId}`);
    await page.locator('#lang').selectOption('ja');
    await page.getByRole('heading', { level: 1, name: '適格性チェック' }).waitFor();
    const form = page.locator('form').first();
    await fieldIn(form, 'ウォレットアドレス').fill(UNKNOWN);
    await form.getByRole('button', { name: 'チェック' }).click();
    const item = page.locator('#check-result li[data-code="WALLET_UNKNOWN"]');
    await item.waitFor();
    const text = await item.locator('.reason-msg').innerText();
    assert(text === WALLET_UNKNOWN_JA, `Japanese message: ${text}`);
    await page.locator('#check-result [data-state="denied"]', { hasText: '不可' }).waitFor();
    await fieldIn(form, 'ウォレットアドレス').fill(WALLET);
    await form.getByRole('button', { name: 'チェック' }).click();
    await page.locator('#check-result [data-state="allowed"]', { hasText: '可' }).waitFor();
    await audit('checker (ja)');
    await go(`#/issuances/${issuanceId}`);
    await audit('issuance (ja)');
    await page.locator('#lang').selectOption('en');
    await page.getByRole('heading', { level: 1, name: 'Tokyo Office (TOF) OFFERING' }).waitFor();
  });
  await step("the API's validation and refusal messages all have a Japanese text", async () => {
    // Real answers of the API to bad requests, translated by the console's own
    // module (the page has the Japanese catalogue loaded at this point).
    await page.locator('#lang').selectOption('ja');
    await page.getByRole('heading', { level: 1, name: 'Tokyo Office (TOF)' }).waitFor();
    const out = await page.evaluate(async (id) => {
      const csrf = { 'Content-Type': 'application/json' };
      const { translate } = await import('/console/assets/lib/errors.js');
      const session = await (await fetch('/console/session')).json();
      csrf['X-CSRF-Token'] = session.csrfToken;
      const inv = { customerRef: 'E-1', personType: 'INDIVIDUAL', residenceCountry: 'JP' };
      const cases = [
        ['POST', '/v1/investors', {}],
        ['POST', '/v1/investors', { ...inv, personType: 'ALIEN' }],
        ['POST', '/v1/investors', { ...inv, residenceCountry: 'XX' }],
        ['POST', '/v1/investors', { ...inv, kyc: { status: 'VERIFIED' } }],
        ['POST', '/v1/investors', { ...inv, customerRef: 'C-0001' }],
        ['POST', '/v1/investors', { ...inv, wallets: [{ address: '0x1234' }] }],
        ['POST', '/v1/investors', { ...inv, nickname: 'x' }],
        ['POST', '/v1/investors', '{"customerRef":'],
        ['POST', '/v1/issuances', { issuerName: 'X', tokenName: 'X', tokenSymbol: 'X', decimals: 99, legalForm: 'SHARE', fieaClass: 'PARA1_TOKEN', offeringType: 'PUBLIC' }],
        ['POST', '/v1/issuances', { issuerName: 'X', tokenName: 'X', tokenSymbol: 'X', legalForm: 'FUND_INTEREST', fieaClass: 'PARA1_TOKEN', offeringType: 'PUBLIC',
          product: { class: 'CFD', wrapper: 'OVERSEAS_ETF', underlying: 'CRYPTO_ASSET', leverage: '2' } }],
        ['POST', `/v1/issuances/${id}/mint`, { to: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8', amount: 'ten' }],
        ['POST', `/v1/issuances/${id}/status`, { status: 'DRAFT' }],
        ['POST', `/v1/issuances/${id}/deploy`, {}],
        ['PUT', `/v1/issuances/${id}/whitelist/99`, {}],
        ['GET', '/v1/issuances/abc'],
        ['GET', '/v1/investors?limit=0'],
        ['POST', '/v1/sellers', {}],
      ];
      const results = [];
      for (const [method, path, body] of cases) {
        const res = await fetch(path, { method, headers: csrf, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
        const data = await res.json();
        const err = { status: res.status, code: data.error.code, message: data.error.message, reasons: data.error.reasons || [] };
        const tr = translate(err);
        results.push({ path, status: res.status, message: err.message, text: tr.text, matched: tr.matched });
      }
      return results;
    }, issuanceId);
    const unmatched = out.filter((r) => !r.matched || !/[\u3040-\u30ff\u4e00-\u9fff]/.test(r.text));
    assert(out.every((r) => r.status >= 400), `a bad request was accepted: ${JSON.stringify(out.filter((r) => r.status < 400))}`);
    assert(!unmatched.length, `untranslated: ${unmatched.map((r) => `${r.status} ${r.message}`).join(' | ')}`);
    await page.locator('#lang').selectOption('en');
    await page.getByRole('heading', { level: 1, name: 'Tokyo Office (TOF) OFFERING' }).waitFor();
    await signOut();
  });
  await step("a second seller cannot see the first seller's issuance", async () => {
    await signIn(otherKey);
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    await page.locator('[aria-busy="false"]').waitFor();
    assert(await page.locator('table.grid tbody tr', { hasText: 'Tokyo Office' }).count() === 0, 'the issuance is listed');
    await page.goto(`${base}/console/#/issuances/${issuanceId}`);
    await page.getByText(`Issuance ${issuanceId} not found`).waitFor();
    await page.goto(`${base}/console/#/investors/1`);
    await page.getByText('Investor 1 not found').waitFor();
  });
  await step('a reader sees only the eligibility checker', async () => {
    await signOut();
    await signIn(readerKey);
    await page.getByRole('heading', { level: 1, name: 'Eligibility checker' }).waitFor();
    const nav = await page.locator('#nav a').allInnerTexts();
    assert(nav.length === 1 && nav[0] === 'Eligibility checker', `reader's menu: ${nav}`);
    const form = page.locator('form').first();
    await fieldIn(form, 'Issuance').fill(issuanceId);
    await fieldIn(form, 'Wallet address').fill(UNKNOWN);
    await form.getByRole('button', { name: 'Check' }).click();
    await page.locator('#check-result li[data-code="WALLET_UNKNOWN"]', { hasText: 'The wallet belongs to no registered investor' }).waitFor();
    await page.goto(`${base}/console/#/sellers`);
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    const r = await page.evaluate(async () => (await fetch('/v1/sellers')).status);
    assert(r === 403, `a reader's session on /v1/sellers: ${r}`);
  });
  await step('signing out ends the session on the server', async () => {
    await signOut();
    const r = await page.evaluate(async () => (await fetch('/v1/issuances')).status);
    assert(r === 401, `after sign-out: ${r}`);
  });
  await step('no page has a serious or critical accessibility violation', async () => {
    // The check can fail: an unnamed button is a critical violation axe must report.
    const control = await page.evaluate(async (src) => {
      if (!window.axe) (0, eval)(src);
      const b = document.createElement('button');
      b.id = 'axe-control';
      document.body.append(b);
      const r = await window.axe.run(document, { resultTypes: ['violations'] });
      b.remove();
      return r.violations.filter((v) => v.impact === 'critical').map((v) => v.id);
    }, axeSource);
    assert(control.includes('button-name'), `axe missed an unnamed button: ${control}`);
    const bad = a11y.filter(([, v]) => v.length);
    assert(a11y.length >= 19, `only ${a11y.length} pages checked`);
    assert(!bad.length, bad.map(([name, v]) => `${name}: ${v.map((x) => `${x.impact} ${x.id} (${x.help}) at ${x.nodes.join(', ')}`).join('; ')}`).join('\n'));
    assert(!consoleErrors.length, `script errors: ${consoleErrors.join('; ')}`);
  });
  if (failed) await page.screenshot({ path: join(outDir, 'failure.png'), fullPage: true }).catch(() => {});
} catch (err) {
  failed = true;
  results.push([false, `set-up: ${err.message}`]);
  console.log(`not ok - set-up\n  ${err.stack}`);
} finally {
  if (context) await context.close().catch(() => {});
  node.kill('SIGTERM');
  await new Promise((r) => { if (node.exitCode !== null) r(); else node.once('exit', r); setTimeout(r, 20000); });
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(profile, { recursive: true, force: true });
}
const passed = results.filter(([ok]) => ok).length;
console.log(`browser: ${passed} passed, ${results.length - passed} failed (accessibility: ${a11y.length} page states checked)`);
process.exit(passed === results.length && results.length > 0 ? 0 : 1);
