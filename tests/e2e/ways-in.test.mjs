// The three ways in, each its own app: a companion on the tablet, a team lead in the office (/buero/),
// a parent on the parents' pages (/eltern/). Each lands on their own first page; a role on another's
// way in is sent to its own; an office browser is no tablet; the online apps say clearly when the
// connection is gone; the tablet's service worker leaves them alone. Accessible (axe) at the office's
// laptop and tablet sizes and at the parents' phone size.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEMO_PASSWORD, axeViolations, browserApiSession, launchBrowser, screenshot, signedInTablet, startServer,
  waitForController, waitForPage,
} from './harness.mjs';

const LAPTOP = { name: 'laptop', width: 1280, height: 800 };
const TABLET = { name: 'tablet', width: 1024, height: 768 };
const PHONE = { name: 'phone', width: 390, height: 844 };

let server;
before(async () => { server = await startServer({ demo: true }); });
after(async () => { await server?.stop(); });

/** Signs in on the office's or the parents' sign-in form. */
async function signInOnline(page, login, password = DEMO_PASSWORD) {
  await page.getByTestId('sign-in').waitFor();
  await page.getByLabel('Benutzername').fill(login);
  await page.getByLabel('Passwort', { exact: true }).fill(password);
  await page.getByTestId('sign-in-submit').click();
}

test('a companion signs in on the tablet and gets the companion\'s screens', async () => {
  const tablet = await signedInTablet(server.url, 'begleitung03', 'Tablet Klasse 3a', TABLET);
  try {
    assert.equal(tablet.landedOn, '/heute', 'a companion lands on their day');
    const nav = tablet.page.getByRole('navigation', { name: 'Hauptnavigation' });
    for (const tab of ['Heute', 'Woche', 'Kinder', 'Einstellungen']) {
      await nav.getByRole('link', { name: tab }).waitFor();
    }
    assert.equal(await nav.getByRole('link', { name: 'Vertretung' }).count(), 0);
    // The tablet's service worker is installed now; the office at the same address is still the
    // office, not the tablet's shell.
    await waitForController(tablet.page);
    await tablet.page.goto(`${server.url}/buero/`);
    await tablet.page.getByTestId('sign-in').waitFor();
    assert.equal(await tablet.page.title(), 'Büro – Begleitbuch');
  } finally {
    await tablet.close();
  }
});

for (const viewport of [LAPTOP, TABLET]) {
  test(`a team lead signs in to the office and sees the provider's tablets, not the office browser (${viewport.name})`, async () => {
    const office = await launchBrowser({ viewport });
    try {
      const { page } = office;
      const lead = await browserApiSession(server.url, 'teamleitung', 'office');
      const before = (await lead.call('/devices')).length;
      await page.goto(`${server.url}/buero/`);
      assert.equal(await page.locator('html').getAttribute('lang'), 'de');
      await signInOnline(page, 'teamleitung');
      // A team lead's first room is Vertretung; the tablets are one link away.
      await waitForPage(page, 'page-vertretung');
      await page.getByRole('navigation', { name: 'Bereiche des Büros' }).getByRole('link', { name: 'Tablets' }).click();
      await waitForPage(page, 'page-tablets');
      assert.equal(new URL(page.url()).hash, '#/tablets');
      await page.getByTestId('tablet').first().waitFor();
      assert.equal(await page.getByTestId('tablet').count(), before, 'the office browser is not a tablet');
      assert.equal((await lead.call('/devices')).length, before, 'signing in to the office registered no device');
      assert.match(await page.getByTestId('signed-in-as').textContent(), /^Angemeldet als /);
      assert.equal(
        await page.getByTestId('tablets-count').textContent(),
        before === 1 ? '1 Tablet, davon 0 gesperrt' : `${before} Tablets, davon 0 gesperrt`,
      );
      assert.match(await page.getByTestId('tablets').textContent(), /Tablet Klasse 3a/);
      assert.match(await page.getByTestId('tablets').textContent(), /\d\d\.\d\d\.\d{4}, \d\d:\d\d Uhr/);
      await screenshot(page, `office-tablets-${viewport.name}`);
      assert.deepEqual(await axeViolations(page), []);

      // A reload keeps the sign-in (the cookie); the page asks for its CSRF token again.
      await page.reload();
      await waitForPage(page, 'page-tablets');

      // Online only, and saying so.
      await office.context.setOffline(true);
      await page.getByTestId('offline-notice').waitFor();
      assert.match(await page.getByTestId('offline-notice').textContent(), /nur online/);
      await office.context.setOffline(false);
      await page.getByTestId('offline-notice').waitFor({ state: 'detached' });

      // English on request, and back.
      await page.getByTestId('language-switch').click();
      await page.getByRole('heading', { name: 'Tablets' }).waitFor();
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      assert.match(await page.getByTestId('signed-in-as').textContent(), /^Signed in as /);
      await page.getByTestId('language-switch').click();

      // Signing out ends it; a reload stays signed out.
      await page.getByTestId('sign-out').click();
      await page.getByTestId('sign-in').waitFor();
      await page.reload();
      await page.getByTestId('sign-in').waitFor();
      assert.equal(await page.getByTestId('page-tablets').count(), 0);
      assert.deepEqual(office.problems.filter((p) => !/Failed to load resource/.test(p)), []);
    } finally {
      await office.close();
    }
  });
}

test('a parent signs in on the parents\' pages on a phone and sees their child and consents, read-only', async () => {
  const phone = await launchBrowser({ viewport: PHONE });
  try {
    const { page } = phone;
    await page.goto(`${server.url}/eltern/`);
    await signInOnline(page, 'eltern01');
    await waitForPage(page, 'page-family');
    await page.getByTestId('family-child').waitFor();
    assert.equal(await page.getByTestId('family-child').count(), 1);
    assert.equal(await page.getByTestId('consent').count(), 3, 'one line per purpose');
    assert.match(await page.getByTestId('family-child').textContent(), /Ja, erlaubt/);
    assert.equal(await page.locator('main form, main input, main textarea').count(), 0, 'read-only');
    await screenshot(page, 'parents-family-phone');
    assert.deepEqual(await axeViolations(page), []);
  } finally {
    await phone.close();
  }
});

test('each role on another\'s way in is sent to its own', async () => {
  const browser = await launchBrowser({ viewport: TABLET });
  try {
    const { page } = browser;
    // A parent on the tablet: refused after the password matched, with the way to the parents' pages.
    await page.goto(`${server.url}/anmelden`);
    await waitForPage(page, 'page-anmelden');
    await page.getByLabel('Benutzername').fill('eltern01');
    await page.getByLabel('Passwort').fill(DEMO_PASSWORD);
    await page.getByTestId('sign-in-submit').click();
    await page.getByTestId('sign-in-error').filter({ hasText: 'Elternseiten' }).waitFor();
    assert.deepEqual(await axeViolations(page), []);
    await page.getByTestId('own-way-in').click();
    await page.waitForURL(`${server.url}/eltern/`);
    await page.getByTestId('sign-in').waitFor();

    // A team lead on the parents' pages is sent to the office, and signs in there.
    await signInOnline(page, 'teamleitung');
    await page.getByTestId('sign-in-error').filter({ hasText: 'im Büro' }).waitFor();
    assert.deepEqual(await axeViolations(page), []);
    await page.getByTestId('own-way-in').click();
    await page.waitForURL(`${server.url}/buero/`);
    await signInOnline(page, 'teamleitung');
    await waitForPage(page, 'page-vertretung');
    await page.getByTestId('sign-out').click();
    await page.getByTestId('sign-in').waitFor();

    // A companion in the office is sent to the tablet app.
    await signInOnline(page, 'begleitung01');
    await page.getByTestId('sign-in-error').filter({ hasText: 'auf dem Tablet' }).waitFor();
    assert.equal(await page.getByTestId('own-way-in').getAttribute('href'), '/');
    // A wrong password says nothing about the role.
    await signInOnline(page, 'eltern01', 'falsches-passwort');
    await page.getByTestId('sign-in-error').filter({ hasText: 'Benutzername oder Passwort stimmt nicht.' }).waitFor();
    assert.equal(await page.getByTestId('own-way-in').count(), 0);
  } finally {
    await browser.close();
  }
});

test('a team lead on the tablet is sent to the office, where cover is arranged', async () => {
  const browser = await launchBrowser({ viewport: TABLET });
  try {
    const { page } = browser;
    await page.goto(`${server.url}/anmelden`);
    await waitForPage(page, 'page-anmelden');
    await page.getByLabel('Benutzername').fill('teamleitung');
    await page.getByLabel('Passwort').fill(DEMO_PASSWORD);
    await page.getByTestId('sign-in-submit').click();
    await page.getByTestId('sign-in-error').filter({ hasText: 'im Büro' }).waitFor();
    assert.deepEqual(await axeViolations(page), []);
    await page.getByTestId('own-way-in').click();
    await page.waitForURL(`${server.url}/buero/`);
    await page.getByTestId('sign-in').waitFor();
  } finally {
    await browser.close();
  }
});
