// Signing in and syncing, in two browser profiles (two tablets) against the demo server: each sign-in
// registers its own device; a wrong password and a missing connection are explained in German; an
// entry typed offline reaches the server after reconnecting, and the header tells when it last synced.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  VIEWPORTS, axeViolations, launchBrowser, screenshot, startServer, waitForController, waitForPage,
} from './harness.mjs';

const PASSWORD = 'demo-begleitbuch';
let server;
before(async () => { server = await startServer({ demo: true }); });
after(async () => { await server?.stop(); });

/** The API as a team lead would use it from the admin screens (which come later). */
async function asTeamLead(path, body) {
  const signIn = await fetch(`${server.url}/api/v1/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: 'teamleitung', password: PASSWORD, device: { id: crypto.randomUUID(), label: 'Büro' } }),
  });
  const { access_token: token } = await signIn.json();
  const response = await fetch(`${server.url}/api/v1${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  assert.ok(response.ok, `${path}: ${response.status}`);
  return response.status === 204 ? null : response.json();
}

async function openSignIn(page) {
  await page.goto(`${server.url}/einstellungen`);
  await waitForPage(page, 'page-einstellungen');
  await waitForController(page);
  await page.getByTestId('sign-in-link').click();
  await waitForPage(page, 'page-anmelden');
}

async function signIn(page, login, password, label) {
  await page.getByLabel('Benutzername').fill(login);
  await page.getByLabel('Passwort').fill(password);
  await page.getByLabel('Name dieses Geräts (optional)').fill(label);
  await page.getByTestId('sign-in-submit').click();
}

/** Signs in on a fresh tablet and waits for the first sync to finish. */
async function signedInTablet(login, label, viewport) {
  const tablet = await launchBrowser({ viewport });
  await openSignIn(tablet.page);
  await signIn(tablet.page, login, PASSWORD, label);
  await waitForPage(tablet.page, 'page-einstellungen');
  await tablet.page.getByTestId('signed-in-as').waitFor();
  await tablet.page.waitForFunction(() => /Zuletzt synchronisiert/.test(document.querySelector('[data-testid="last-sync"]')?.textContent ?? ''));
  return tablet;
}

test('sign-in explains a wrong password and a missing connection, and passes axe in both orientations', async () => {
  for (const viewport of VIEWPORTS) {
    const tablet = await launchBrowser({ viewport });
    try {
      const { page, context } = tablet;
      await openSignIn(page);
      await signIn(page, 'begleitung03', 'falsches-passwort', '');
      assert.equal(await page.getByTestId('sign-in-error').textContent(), 'Benutzername oder Passwort stimmt nicht.');
      await screenshot(page, `sign-in-wrong-password-${viewport.name}`);
      assert.deepEqual(await axeViolations(page), []);

      await context.setOffline(true);
      await page.getByLabel('Passwort').fill(PASSWORD);
      await page.getByTestId('sign-in-submit').click();
      await page.getByText('Keine Verbindung zum Server.', { exact: false }).waitFor();
      assert.equal(await page.getByLabel('Benutzername').inputValue(), 'begleitung03', 'the typed login is kept');
      assert.deepEqual(tablet.problems.filter((p) => !/Failed to (fetch|load resource)|ERR_INTERNET_DISCONNECTED|status of 401/.test(p)), []);
    } finally {
      await tablet.close();
    }
  }
});

test('two tablets sign in as two devices; an entry typed offline reaches the server after reconnecting', async () => {
  const tabletA = await signedInTablet('begleitung01', 'Tablet Klasse 1a', VIEWPORTS[0]);
  const tabletB = await signedInTablet('begleitung02', 'Tablet Klasse 2b', VIEWPORTS[1]);
  try {
    assert.match(await tabletA.page.getByTestId('signed-in-as').textContent(), /Begleitung 01 \(Demo\) \(begleitung01\)/);
    await screenshot(tabletA.page, 'signed-in');
    assert.deepEqual(await axeViolations(tabletA.page), []);

    // The team lead sees both tablets as devices of the provider.
    const devices = await asTeamLead('/devices');
    const labels = devices.map((d) => d.label);
    assert.ok(labels.includes('Tablet Klasse 1a') && labels.includes('Tablet Klasse 2b'), labels.join(', '));

    // Tablet A loses the Wi-Fi, records an hour, and comes back.
    const { page, context } = tabletA;
    await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Heute' }).click();
    await page.locator('[data-testid="page-heute"][data-ready="true"]').waitFor();
    await context.setOffline(true);
    await page.waitForFunction(() => !navigator.onLine);
    await page.getByLabel('Beginn').fill('07:30');
    await page.getByLabel('Ende', { exact: true }).fill('08:15');
    await page.getByLabel('Tätigkeit').selectOption('preparation');
    await page.getByLabel('Notiz (optional)').fill('Offline auf Tablet A');
    await page.getByTestId('entry-save').click();
    await page.getByTestId('entry').first().waitFor();
    assert.equal(await page.getByTestId('pending').textContent(), '1 nicht synchronisiert');

    await context.setOffline(false);
    await page.waitForFunction(() => document.querySelector('[data-testid="pending"]')?.textContent === 'Alles synchronisiert', null, { timeout: 20000 });
    await page.getByTestId('header-last-sync').waitFor();
    await screenshot(page, 'synced-after-reconnect');

    const pulled = await asTeamLead('/sync/pull', { protocol: 1, cursors: [], limit: 1000 });
    const mine = pulled.records.filter((r) => r.kind === 'time_entry' && r.fields.note === 'Offline auf Tablet A');
    assert.equal(mine.length, 1, 'exactly once on the server');
    assert.equal(mine[0].fields.start, '07:30:00');

    // After a reload the entry is still there, now from the server's copy, and nothing waits.
    await page.reload();
    await page.locator('[data-testid="page-heute"][data-ready="true"]').waitFor();
    assert.match(await page.getByTestId('entry').first().textContent(), /Offline auf Tablet A/);
    assert.equal(await page.getByTestId('pending').textContent(), 'Alles synchronisiert');
    assert.deepEqual(tabletA.problems.filter((p) => !/Failed to (fetch|load resource)|ERR_INTERNET_DISCONNECTED/.test(p)), []);
    assert.deepEqual(tabletB.problems, []);
  } finally {
    await tabletA.close();
    await tabletB.close();
  }
});

test('a tablet its team lead revoked wipes its data at its next contact', async () => {
  const tablet = await signedInTablet('begleitung03', 'Verlorenes Tablet', VIEWPORTS[0]);
  try {
    const { page } = tablet;
    await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Heute' }).click();
    await page.locator('[data-testid="page-heute"][data-ready="true"]').waitFor();
    await page.getByLabel('Beginn').fill('09:00');
    await page.getByLabel('Ende', { exact: true }).fill('09:45');
    await page.getByLabel('Tätigkeit').selectOption('documentation');
    await page.getByTestId('entry-save').click();
    await page.getByTestId('entry').first().waitFor();

    const devices = await asTeamLead('/devices');
    const lost = devices.find((d) => d.label === 'Verlorenes Tablet');
    await asTeamLead(`/devices/${lost.id}/revoke`, {});

    await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Einstellungen' }).click();
    await page.getByTestId('sync-now').click();
    // The tablet reloads with nothing of the user left: signed out, no entries.
    await page.getByTestId('sign-in-link').waitFor({ timeout: 20000 });
    await page.goto(`${server.url}/heute`);
    await page.locator('[data-testid="page-heute"][data-ready="true"]').waitFor();
    assert.equal(await page.getByTestId('entry').count(), 0);
    const stored = await page.evaluate(async () => {
      const db = await new Promise((resolve, reject) => {
        const request = indexedDB.open('begleitbuch');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const count = (name) => new Promise((resolve) => {
        const request = db.transaction(name).objectStore(name).count();
        request.onsuccess = () => resolve(request.result);
      });
      const result = { records: await count('records'), outbox: await count('outbox'), server: await count('server') };
      db.close();
      return result;
    });
    assert.deepEqual(stored, { records: 0, outbox: 0, server: 0 });
  } finally {
    await tablet.close();
  }
});
