// The app shell: loads in German, installs, works offline on every route, switches language, is
// accessible at both tablet orientations, and is served with the right caching and security headers.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEMO_PASSWORD, FORM_ROUTES, ROUTES, VIEWPORTS, axeViolations, launchBrowser, screenshot, signIn, signedInTablet,
  startServer, waitForController, waitForPage,
} from './harness.mjs';

let server;
before(async () => { server = await startServer({ demo: true }); });
after(async () => { await server?.stop(); });

test('a new tablet opens on sign-in in German: nothing can be recorded before, and nothing claims to be synced', async () => {
  const browser = await launchBrowser();
  try {
    const { page } = browser;
    await page.goto(`${server.url}/`);
    await waitForPage(page, 'page-anmelden');
    assert.equal(await page.locator('html').getAttribute('lang'), 'de');
    assert.equal(await page.locator('h1').textContent(), 'Anmelden');
    assert.equal(await page.getByTestId('signed-out').textContent(), 'Nicht angemeldet');
    assert.equal(await page.getByTestId('pending').count(), 0, 'no "Alles synchronisiert" without an account');
    assert.equal(await page.getByRole('navigation', { name: 'Hauptnavigation' }).count(), 0);
    // A deep link to a form or to Heute shows sign-in too: no timer, no form, nothing to record.
    for (const path of ['/heute', '/gruppenangebot', '/beobachtung', '/woche']) {
      await page.goto(`${server.url}${path}`);
      await waitForPage(page, 'page-anmelden');
      assert.equal(await page.getByTestId('timer').count(), 0, path);
      assert.equal(await page.locator('form').count(), 1, `${path}: only the sign-in form`);
    }
    await screenshot(page, 'new-tablet-sign-in');
    assert.deepEqual(await axeViolations(page), []);

    await signIn(page, 'begleitung01', DEMO_PASSWORD, 'Tablet 1a');
    await waitForPage(page, 'page-heute');
    assert.equal(await page.getByTestId('signed-out').count(), 0);
    assert.equal(await page.getByTestId('connection').textContent(), 'Online');
    const nav = page.getByRole('navigation', { name: 'Hauptnavigation' });
    for (const route of ROUTES) {
      await nav.getByRole('link', { name: route.de }).click();
      await waitForPage(page, route.testid);
      assert.equal(new URL(page.url()).pathname, route.path);
      assert.equal(await page.locator('h1').textContent(), route.de);
    }
    assert.deepEqual(browser.problems, []);
  } finally {
    await browser.close();
  }
});

test('the manifest and service worker make the app installable', async () => {
  const browser = await launchBrowser();
  try {
    const { page, context } = browser;
    await page.goto(`${server.url}/heute`);
    await waitForController(page);
    await page.reload();
    await waitForPage(page, 'page-anmelden');
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    assert.deepEqual(installabilityErrors, []);
    const manifest = await cdp.send('Page.getAppManifest');
    assert.deepEqual(manifest.errors, []);
    const parsed = JSON.parse(manifest.data);
    assert.equal(parsed.lang, 'de');
    assert.equal(parsed.display, 'standalone');
    assert.ok(parsed.icons.some((icon) => icon.purpose === 'maskable' && icon.sizes === '512x512'));
    assert.deepEqual(browser.problems, []);
  } finally {
    await browser.close();
  }
});

test('with the server gone and the network off, every route still loads from the service worker', async () => {
  const ownServer = await startServer({ demo: true });
  const browser = await signedInTablet(ownServer.url, 'begleitung02', 'Tablet 2a', VIEWPORTS[0]);
  try {
    const { page, context } = browser;
    await page.goto(`${ownServer.url}/heute`);
    await waitForPage(page, 'page-heute');
    await waitForController(page);
    await ownServer.stop();
    await context.setOffline(true);
    for (const route of [...ROUTES, ...FORM_ROUTES]) {
      await page.goto(`${ownServer.url}${route.path}`);
      await waitForPage(page, route.testid);
      assert.equal(await page.locator('h1').textContent(), route.de, route.path);
      assert.equal(await page.getByTestId('connection').textContent(), 'Offline');
      await screenshot(page, `offline${route.path.replace('/', '-')}`);
    }
    // A deep link the app does not know is still the app, showing its own "not found" page.
    await page.goto(`${ownServer.url}/gibt-es-nicht`);
    await waitForPage(page, 'page-not-found');
  } finally {
    await browser.close();
    await ownServer.stop();
  }
});

test('language switch in Einstellungen changes the UI and <html lang>, and is remembered', async () => {
  const browser = await signedInTablet(server.url, 'begleitung03', 'Tablet 3a', VIEWPORTS[0]);
  try {
    const { page } = browser;
    await page.goto(`${server.url}/einstellungen`);
    await waitForPage(page, 'page-einstellungen');
    await page.getByLabel('English').check();
    await page.locator('h1', { hasText: 'Settings' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.equal(await page.getByTestId('pending').textContent(), 'All synced');

    await page.reload();
    await waitForPage(page, 'page-einstellungen');
    assert.equal(await page.locator('h1').textContent(), 'Settings');
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    await page.getByRole('link', { name: 'Today' }).click();
    await waitForPage(page, 'page-heute');
    assert.match(await page.locator('.page-subtitle').textContent(), /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d\/\d\d\/\d{4}$/);
    await screenshot(page, 'english-today');

    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Deutsch').check();
    await page.locator('h1', { hasText: 'Einstellungen' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'de');
    assert.deepEqual(browser.problems, []);
  } finally {
    await browser.close();
  }
});

for (const viewport of VIEWPORTS) {
  test(`every page at ${viewport.width}×${viewport.height}: no axe violations, touch targets ≥ 44 px`, async () => {
    const browser = await signedInTablet(server.url, viewport === VIEWPORTS[0] ? 'begleitung04' : 'begleitung05', 'Tablet', viewport);
    try {
      const { page } = browser;
      for (const route of [...ROUTES, ...FORM_ROUTES]) {
        await page.goto(`${server.url}${route.path}`);
        await waitForPage(page, route.testid);
        await screenshot(page, `${route.path.slice(1)}-${viewport.name}`);
        assert.deepEqual(await axeViolations(page), [], `${route.path} at ${viewport.name}`);
        const small = await page.evaluate(() => [...document.querySelectorAll('a, button, input, label.choice')]
          .filter((el) => el.getClientRects().length > 0 && !el.classList.contains('skip-link'))
          .map((el) => ({ el, box: el.getBoundingClientRect() }))
          .filter(({ el, box }) => (el.tagName === 'INPUT' ? (el.closest('label') ?? el).getBoundingClientRect() : box).height < 44)
          .map(({ el }) => el.outerHTML.slice(0, 80)));
        assert.deepEqual(small, [], `${route.path}: touch targets below 44 px`);
      }
      assert.deepEqual(browser.problems, []);
    } finally {
      await browser.close();
    }
  });
}

test('keyboard users can skip to the content and reach every navigation link', async () => {
  const browser = await signedInTablet(server.url, 'begleitung06', 'Tablet 6a', VIEWPORTS[0]);
  try {
    const { page } = browser;
    await page.goto(`${server.url}/heute`);
    await waitForPage(page, 'page-heute');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Zum Inhalt springen');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
    // From the top of the page, the navigation follows the skip link, before the page's own form.
    await page.reload();
    await waitForPage(page, 'page-heute');
    await page.keyboard.press('Tab');
    const reached = [];
    for (let i = 0; i < 8 && reached.length < ROUTES.length; i += 1) {
      await page.keyboard.press('Tab');
      const text = await page.evaluate(() => document.activeElement.closest('nav') && document.activeElement.textContent);
      if (text) reached.push(text);
    }
    assert.deepEqual(reached, ROUTES.map((r) => r.de));
    await page.keyboard.press('Enter');
    await waitForPage(page, 'page-einstellungen');
  } finally {
    await browser.close();
  }
});

test('HTTP: deep links get the app, caching fits each resource, security headers everywhere', async () => {
  const index = await fetch(`${server.url}/`);
  assert.equal(index.status, 200);
  assert.equal(index.headers.get('cache-control'), 'no-cache');
  const csp = index.headers.get('content-security-policy');
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval';/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  assert.equal(index.headers.get('x-content-type-options'), 'nosniff');
  const html = await index.text();
  const wasmPath = html.match(/data-app-wasm="([^"]+)"/)[1];

  for (const route of ['/woche', '/kinder', '/einstellungen', '/heute']) {
    const deep = await fetch(`${server.url}${route}`);
    assert.equal(deep.status, 200, route);
    assert.equal(deep.headers.get('cache-control'), 'no-cache', route);
    assert.equal(await deep.text(), html, route);
  }

  const wasm = await fetch(`${server.url}${wasmPath}`);
  assert.equal(wasm.status, 200);
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  assert.equal(wasm.headers.get('cache-control'), 'public, max-age=31536000, immutable');

  const worker = await fetch(`${server.url}/sw.js`);
  assert.equal(worker.headers.get('cache-control'), 'no-cache');
  assert.ok((await worker.text()).includes(`"${wasmPath}"`), 'the worker precaches the current wasm');

  const health = await fetch(`${server.url}/api/v1/health`);
  assert.equal(health.status, 200);
  assert.equal(health.headers.get('cache-control'), 'no-store');
  const body = await health.json();
  assert.equal(body.status, 'ok');
  assert.equal(body.database, 'sqlite');
  assert.match(body.epoch, /^[0-9a-f-]{36}$/);

  const unknownApi = await fetch(`${server.url}/api/v1/gibt-es-nicht`);
  assert.equal(unknownApi.status, 404);
  assert.equal(unknownApi.headers.get('cache-control'), 'no-store');
  assert.equal((await unknownApi.json()).error.code, 'not_found');

  const missingFile = await fetch(`${server.url}/gibt-es-nicht.png`);
  assert.equal(missingFile.status, 404);
});
