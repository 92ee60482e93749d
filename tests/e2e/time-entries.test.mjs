// Time entries on Heute: typed offline, kept through closing the page and reopening offline, refused
// with a German message when wrong (the typed input kept), edited and deleted; storage that is full or
// missing is reported and loses nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import {
  VIEWPORTS, axeViolations, fillEntry, germanMinutes, problemsBesidesOffline, freshProfile, launchBrowser, offlineTablet, openToday, screenshot, startServer,
  waitForController,
} from './harness.mjs';

// Each test records as its own demo companion, signed in and then offline: the entries wait in the
// outbox, where the test counts them.
let server;
before(async () => { server = await startServer({ demo: true }); });
after(async () => { await server?.stop(); });

async function save(page) {
  await page.getByTestId('entry-save').click();
}

async function entryTexts(page) {
  return page.getByTestId('entry').locator('.entry-time').allTextContents();
}

/** A totals line "Direkt … · Indirekt …" in minutes. */
function totals(text) {
  const [direct, indirect] = text.split('·');
  return { direct: germanMinutes(direct), indirect: germanMinutes(indirect ?? '') };
}

async function goOffline(context, page) {
  await context.setOffline(true);
  await page.waitForFunction(() => !navigator.onLine);
}

test('an entry typed offline survives closing the page and reopening offline, and waits to be synced', async () => {
  const browser = await offlineTablet(server.url, 'begleitung01');
  try {
    const { page, context } = browser;
    await openToday(page, server.url);
    await waitForController(page);
    await goOffline(context, page);
    assert.equal(await page.getByTestId('connection').textContent(), 'Offline');

    await fillEntry(page, { start: '08:00', end: '09:30', category: 'individual', note: 'Pause im Hof begleitet' });
    await save(page);
    await page.getByTestId('entry').first().waitFor();
    assert.deepEqual(await entryTexts(page), ['08:00–09:30 Uhr']);
    assert.equal(await page.getByTestId('total-direct').textContent(), '1 Std. 30 Min.');
    assert.equal(await page.getByTestId('pending').textContent(), '1 nicht synchronisiert');
    assert.equal(await page.getByLabel('Beginn').inputValue(), '', 'the form is cleared after saving');
    assert.equal(await page.getByTestId('entry-notice').textContent(), 'Gespeichert. Wartet auf die Synchronisierung.');

    await fillEntry(page, { start: '10:00', end: '10:45', category: 'team_meeting' });
    await save(page);
    await page.getByTestId('entry').nth(1).waitFor();
    assert.equal(await page.getByTestId('total-indirect').textContent(), '45 Min.');
    assert.equal(await page.getByTestId('total-all').textContent(), '2 Std. 15 Min.');
    assert.match(await page.locator('.total-note').textContent(), /Anteil direkt: 67 %/);

    await page.close();
    const reopened = await context.newPage();
    await openToday(reopened, server.url);
    assert.deepEqual(await entryTexts(reopened), ['08:00–09:30 Uhr', '10:00–10:45 Uhr']);
    assert.match(await reopened.getByTestId('entry').first().textContent(), /Pause im Hof begleitet/);
    assert.equal(await reopened.getByTestId('pending').textContent(), '2 nicht synchronisiert');

    // The week adds the day up, from the same local records (with the demo's earlier days of the week).
    await reopened.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Woche' }).click();
    await reopened.locator('[data-testid="page-woche"][data-ready="true"]').waitFor();
    const today = await reopened.locator('.day-today .day-totals').textContent();
    assert.equal(today, 'Direkt 1 Std. 30 Min. · Indirekt 45 Min.');
    const days = (await reopened.locator('.day-totals').allTextContents()).map(totals);
    const sum = days.reduce((a, b) => ({ direct: a.direct + b.direct, indirect: a.indirect + b.indirect }), { direct: 0, indirect: 0 });
    assert.deepEqual(totals(await reopened.getByTestId('week-total').textContent()), sum);
    assert.deepEqual(problemsBesidesOffline(browser), []);
  } finally {
    await browser.close();
  }
});

test('wrong input is refused in German, the typed input stays, and the form is accessible', async () => {
  for (const viewport of VIEWPORTS) {
    const browser = await offlineTablet(server.url, viewport === VIEWPORTS[0] ? 'begleitung02' : 'begleitung03', { viewport });
    try {
      const { page } = browser;
      await openToday(page, server.url);
      await fillEntry(page, { start: '08:00', end: '09:00', category: 'group' });
      await save(page);
      await page.getByTestId('entry').first().waitFor();

      const problem = page.getByTestId('entry-problem');
      await fillEntry(page, { start: '11:00', end: '10:00', category: 'class', note: 'bleibt stehen' });
      await save(page);
      assert.equal(await problem.textContent(), 'Das Ende muss nach dem Beginn liegen.');
      assert.equal(await page.getByLabel('Beginn').inputValue(), '11:00');
      assert.equal(await page.getByLabel('Notiz (optional)').inputValue(), 'bleibt stehen');
      assert.equal(await page.getByLabel('Ende', { exact: true }).getAttribute('aria-invalid'), 'true');

      await fillEntry(page, { start: '06:00', end: '19:00', category: 'class' });
      await save(page);
      assert.match(await problem.textContent(), /höchstens 12 Stunden/);

      await fillEntry(page, { start: '08:30', end: '09:30', category: 'class' });
      await save(page);
      assert.equal(await problem.textContent(), 'Überschneidet sich mit dem Eintrag 08:00–09:00 Uhr.');

      await page.getByLabel('Tätigkeit').selectOption('');
      await page.getByLabel('Beginn').fill('09:00');
      await save(page);
      assert.equal(await problem.textContent(), 'Bitte eine Tätigkeit wählen.');
      assert.deepEqual(await entryTexts(page), ['08:00–09:00 Uhr'], 'nothing refused was stored');

      assert.deepEqual(await axeViolations(page), []);
      await screenshot(page, `heute-error-${viewport.name}`);
      assert.deepEqual(problemsBesidesOffline(browser), []);
    } finally {
      await browser.close();
    }
  }
});

test('an entry can be edited and deleted; every change waits in the outbox', async () => {
  const browser = await offlineTablet(server.url, 'begleitung04', { viewport: VIEWPORTS[1] });
  try {
    const { page } = browser;
    await openToday(page, server.url);
    await fillEntry(page, { start: '08:00', end: '09:00', category: 'individual' });
    await save(page);
    await page.getByTestId('entry').first().waitFor();

    await page.getByTestId('entry-edit').click();
    assert.equal(await page.getByRole('heading', { name: 'Eintrag bearbeiten' }).count(), 1);
    assert.equal(await page.getByLabel('Beginn').inputValue(), '08:00');
    await page.getByLabel('Ende', { exact: true }).fill('09:15');
    await save(page);
    await page.getByText('08:00–09:15 Uhr').waitFor();
    assert.equal(await page.getByTestId('total-direct').textContent(), '1 Std. 15 Min.');

    await fillEntry(page, { start: '13:00', end: '14:00', category: 'documentation', note: 'Berichte' });
    await save(page);
    await page.getByTestId('entry').nth(1).waitFor();
    await screenshot(page, 'heute-entries-landscape');
    await page.setViewportSize({ width: VIEWPORTS[0].width, height: VIEWPORTS[0].height });
    await screenshot(page, 'heute-entries-portrait');
    assert.deepEqual(await axeViolations(page), []);

    await page.getByTestId('entry-delete').first().click();
    await page.getByTestId('entry-confirm-delete').click();
    await page.getByTestId('entry-notice').filter({ hasText: 'Eintrag gelöscht.' }).waitFor();
    assert.deepEqual(await entryTexts(page), ['13:00–14:00 Uhr']);
    assert.equal(await page.getByTestId('pending').textContent(), '4 nicht synchronisiert');

    await page.reload();
    await page.locator('[data-testid="page-heute"][data-ready="true"]').waitFor();
    assert.deepEqual(await entryTexts(page), ['13:00–14:00 Uhr']);
    assert.deepEqual(problemsBesidesOffline(browser), []);
  } finally {
    await browser.close();
  }
});

test('when the storage quota is used up, saving says so, keeps the input and loses nothing stored', async () => {
  // Chromium applies a quota override to IndexedDB when the origin's storage is opened, so the browser is
  // restarted on the same profile around the override.
  const profileDir = await freshProfile();
  try {
    const first = await offlineTablet(server.url, 'begleitung05', { profileDir });
    await openToday(first.page, server.url);
    await fillEntry(first.page, { start: '08:00', end: '09:00', category: 'individual' });
    await save(first.page);
    await first.page.getByTestId('entry').first().waitFor();
    await first.close();

    const full = await launchBrowser({ profileDir });
    await full.context.setOffline(true);
    const cdp = await full.context.newCDPSession(full.page);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: server.url, quotaSize: 1 });
    const { page } = full;
    await openToday(page, server.url);
    assert.deepEqual(await entryTexts(page), ['08:00–09:00 Uhr']);
    await fillEntry(page, { start: '10:00', end: '11:00', category: 'travel', note: 'Fahrt zur Außenstelle' });
    await save(page);
    await page.getByTestId('entry-problem').filter({ hasText: 'Speicher' }).waitFor();
    assert.match(await page.getByTestId('entry-problem').textContent(), /^Der Speicher dieses Geräts ist voll\./);
    assert.equal(await page.getByLabel('Notiz (optional)').inputValue(), 'Fahrt zur Außenstelle');
    assert.equal(await page.getByLabel('Beginn').inputValue(), '10:00');
    assert.deepEqual(await entryTexts(page), ['08:00–09:00 Uhr']);
    assert.equal(await page.getByTestId('pending').textContent(), '1 nicht synchronisiert');
    await screenshot(page, 'heute-storage-full');
    await full.close();

    // Space again: the same entry saves, and the first one is still there.
    const again = await launchBrowser({ profileDir });
    await again.context.setOffline(true);
    await openToday(again.page, server.url);
    await fillEntry(again.page, { start: '10:00', end: '11:00', category: 'travel', note: 'Fahrt zur Außenstelle' });
    await save(again.page);
    await again.page.getByTestId('entry').nth(1).waitFor();
    assert.deepEqual(await entryTexts(again.page), ['08:00–09:00 Uhr', '10:00–11:00 Uhr']);
    assert.equal(await again.page.getByTestId('pending').textContent(), '2 nicht synchronisiert');
    await again.close();
  } finally {
    await rm(profileDir, { recursive: true, force: true });
  }
});

test('without IndexedDB the app explains why nothing can be stored; entries saved before survive', async () => {
  const browser = await offlineTablet(server.url, 'begleitung06');
  try {
    const { page, context } = browser;
    await openToday(page, server.url);
    await fillEntry(page, { start: '08:00', end: '09:00', category: 'individual' });
    await save(page);
    await page.getByTestId('entry').first().waitFor();

    const withoutStorage = await context.newPage();
    await withoutStorage.addInitScript(() => {
      Object.defineProperty(window, 'indexedDB', { value: undefined, configurable: true });
    });
    await withoutStorage.goto(`${server.url}/heute`);
    const banner = withoutStorage.getByTestId('store-error');
    await banner.waitFor();
    assert.equal(await banner.getAttribute('data-code'), 'unavailable');
    assert.match(await banner.textContent(), /IndexedDB fehlt/);
    assert.deepEqual(await axeViolations(withoutStorage), []);
    await withoutStorage.close();

    const again = await context.newPage();
    await openToday(again, server.url);
    assert.deepEqual(await entryTexts(again), ['08:00–09:00 Uhr']);
  } finally {
    await browser.close();
  }
});
