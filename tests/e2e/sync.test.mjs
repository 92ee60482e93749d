// Signing in and syncing, in two browser profiles (two tablets) against the demo server: each sign-in
// registers its own device; a wrong password and a missing connection are explained in German; an
// entry typed offline reaches the server after reconnecting, and the header tells when it last synced.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEMO_PASSWORD as PASSWORD, VIEWPORTS, addEntry, apiSession as apiSessionAt, browserApiSession, allSynced, approveWeek, axeViolations, goOffline, launchBrowser, navigateTo,
  now, openSignIn as openSignInAt, problemsBesidesOffline, screenshot, signIn, signedInTablet as signedInTabletAt,
  startServer, waitForPage, deviceSecret,
} from './harness.mjs';

let server;
before(async () => { server = await startServer({ demo: true }); });
after(async () => { await server?.stop(); });

const apiSession = (login) => apiSessionAt(server.url, login);

async function asTeamLead(path, body) {
  return (await browserApiSession(server.url, 'teamleitung', 'office')).call(path, body);
}

const openSignIn = (page) => openSignInAt(page, server.url);
const signedInTablet = (login, label, viewport) => signedInTabletAt(server.url, login, label, viewport);

async function openToday(page) {
  await navigateTo(page, 'Heute', 'page-heute');
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
    await addEntry(page, { start: '07:30', end: '08:15', category: 'preparation', note: 'Offline auf Tablet A' });
    assert.equal(await page.getByTestId('pending').textContent(), '1 nicht synchronisiert');

    await context.setOffline(false);
    await page.waitForFunction(() => document.querySelector('[data-testid="pending"]')?.textContent === 'Alles synchronisiert', null, { timeout: 20000 });
    await page.getByTestId('header-last-sync').waitFor();
    await screenshot(page, 'synced-after-reconnect');

    const entries = await asTeamLead('/office/records?kinds=time_entry');
    const mine = entries.filter((r) => r.fields.note === 'Offline auf Tablet A');
    assert.equal(mine.length, 1, 'exactly once on the server');
    assert.equal(mine[0].fields.start, '07:30:00');

    // After a reload the entry is still there, now from the server's copy, and nothing waits.
    await page.reload();
    await page.locator('[data-testid="page-heute"][data-ready="true"]').waitFor();
    assert.match(await page.getByTestId('entry').first().textContent(), /Offline auf Tablet A/);
    assert.equal(await page.getByTestId('pending').textContent(), 'Alles synchronisiert');
    assert.deepEqual(problemsBesidesOffline(tabletA), []);
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
    await addEntry(page, { start: '09:00', end: '09:45', category: 'documentation' });
    // The save's own sync first: revoked while it runs, the tablet would wipe before the test looks.
    await allSynced(page);

    const devices = await asTeamLead('/devices');
    const lost = devices.find((d) => d.label === 'Verlorenes Tablet');
    await asTeamLead(`/devices/${lost.id}/revoke`, {});

    await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Einstellungen' }).click();
    await page.getByTestId('sync-now').click();
    // The tablet reloads with nothing of the user left: signed out, on sign-in, no entries.
    await page.getByTestId('signed-out').waitFor({ timeout: 20000 });
    await page.goto(`${server.url}/heute`);
    await waitForPage(page, 'page-anmelden');
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

test('the same entry changed offline on two tablets: the conflict is shown, compared and resolved', async () => {
  const tabletA = await signedInTablet('begleitung05', 'Tablet A', VIEWPORTS[0]);
  const tabletB = await signedInTablet('begleitung05', 'Tablet B', VIEWPORTS[1]);
  try {
    await openToday(tabletA.page);
    await addEntry(tabletA.page, { start: '10:00', end: '10:30', category: 'individual', note: 'Erste Fassung' });
    await allSynced(tabletA.page);

    // Tablet B fetches the entry, then both lose the connection and change its note.
    await tabletB.page.getByTestId('sync-now').click();
    await tabletB.page.waitForFunction(() => !document.querySelector('[data-testid="syncing"]'));
    await openToday(tabletB.page);
    await tabletB.page.getByText('Erste Fassung').waitFor();
    for (const [tablet, note] of [[tabletA, 'Fassung von Tablet A'], [tabletB, 'Fassung von Tablet B']]) {
      await goOffline(tablet);
      await tablet.page.getByTestId('entry-edit').click();
      await tablet.page.getByLabel('Notiz (optional)').fill(note);
      await tablet.page.getByTestId('entry-save').click();
      await tablet.page.getByText(note).waitFor();
    }

    // A comes back first and wins; B comes back, and its change waits under "Zu klären".
    await tabletA.context.setOffline(false);
    await allSynced(tabletA.page);
    await tabletB.context.setOffline(false);
    await tabletB.page.getByTestId('attention-count').waitFor({ timeout: 20000 });
    assert.equal(await tabletB.page.getByTestId('attention-count').textContent(), '1 zu klären');
    await tabletB.page.getByTestId('attention-count').click();
    await tabletB.page.locator('[data-testid="page-klaeren"][data-ready="true"]').waitFor();
    assert.equal(await tabletB.page.getByTestId('conflict-yours').textContent(), 'Ihre Eingabe: Fassung von Tablet B');
    assert.equal(await tabletB.page.getByTestId('conflict-kept').textContent(), 'Auf dem Server: Fassung von Tablet A');
    assert.match(await tabletB.page.getByTestId('attention-item').locator('h2').textContent(), /Zeiteintrag · .* · 10:00–10:30 Uhr/);
    await screenshot(tabletB.page, 'conflict');
    assert.deepEqual(await axeViolations(tabletB.page), []);

    await tabletB.page.getByTestId('attention-take-mine').click();
    await tabletB.page.getByTestId('attention-empty').waitFor();
    await allSynced(tabletB.page);
    const pulled = await (await apiSession('begleitung05')).call('/sync/pull', { protocol: 1, cursors: [], limit: 1000 });
    const notes = pulled.records.filter((r) => r.kind === 'time_entry' && /Fassung/.test(r.fields.note ?? '')).map((r) => r.fields.note);
    assert.deepEqual(notes, ['Fassung von Tablet B'], 'one entry, with the value B chose to keep');

    // Tablet A gets B's decision with its next sync.
    await tabletA.page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Einstellungen' }).click();
    await tabletA.page.getByTestId('sync-now').click();
    await openToday(tabletA.page);
    await tabletA.page.getByText('Fassung von Tablet B').waitFor();
    assert.equal(await tabletA.page.getByTestId('attention-count').count(), 0);
  } finally {
    await tabletA.close();
    await tabletB.close();
  }
});

test('an entry saved while a sync is under way goes out right after it, not a minute later', async () => {
  const tablet = await signedInTablet('begleitung10', 'Tablet Pausenhof', VIEWPORTS[1]);
  try {
    const { page, context } = tablet;
    // The next pull hangs until the entry is saved: the run under way has already read the outbox.
    let releasePull;
    const pullHeld = new Promise((resolve) => { releasePull = resolve; });
    await context.route('**/api/v1/sync/pull', async (route) => {
      await pullHeld;
      await route.continue();
    }, { times: 1 });
    await page.getByTestId('sync-now').click();
    await page.getByTestId('syncing').waitFor();
    await openToday(page);
    await addEntry(page, { start: '12:00', end: '12:20', category: 'preparation', note: 'Während der Synchronisierung' });
    assert.equal(await page.getByTestId('syncing').count(), 1, 'the first run is still under way');
    releasePull();

    // The next automatic run would be a minute away; the entry must not wait for it.
    await allSynced(page);
    const records = await (await apiSession('begleitung10')).pullAll();
    assert.ok(records.some((r) => r.kind === 'time_entry' && r.fields.note === 'Während der Synchronisierung'));
    assert.deepEqual(tablet.problems, []);
  } finally {
    await tablet.close();
  }
});

test('a week approved while the tablet was offline: its queued entry waits under "Zu klären"', async () => {
  const tablet = await signedInTablet('begleitung06', 'Tablet Klasse 3a', VIEWPORTS[0]);
  try {
    await openToday(tablet.page);
    await goOffline(tablet);
    await addEntry(tablet.page, { start: '11:00', end: '11:30', category: 'parent_talk', note: 'Nach der Freigabe' });

    // Meanwhile the team lead approves the companion's week.
    await approveWeek(server.url, 'begleitung06', now());

    await tablet.context.setOffline(false);
    await tablet.page.getByTestId('attention-count').waitFor({ timeout: 20000 });
    // Heute shows what the server holds; the refused entry is kept under "Zu klären".
    await tablet.page.getByText('Nach der Freigabe').waitFor({ state: 'detached' });
    await tablet.page.getByTestId('attention-count').click();
    await tablet.page.locator('[data-testid="page-klaeren"][data-ready="true"]').waitFor();
    assert.match(await tablet.page.getByTestId('attention-reason').textContent(), /Diese Woche ist bereits freigegeben/);
    assert.match(await tablet.page.getByTestId('attention-item').textContent(), /11:00–11:30 Uhr.*Nach der Freigabe/);
    await screenshot(tablet.page, 'week-locked');
    await tablet.page.getByTestId('attention-discard').click();
    await tablet.page.getByTestId('attention-empty').waitFor();
    assert.equal(await tablet.page.getByTestId('attention-count').count(), 0);
    assert.equal(await tablet.page.getByTestId('pending').textContent(), 'Alles synchronisiert');
  } finally {
    await tablet.close();
  }
});

test('two colleagues on one tablet: the earlier one\'s offline entry syncs with their own tokens', async () => {
  const tablet = await signedInTablet('begleitung07', 'Gemeinsames Tablet', VIEWPORTS[1]);
  try {
    const { page } = tablet;
    await openToday(page);
    await goOffline(tablet);
    await addEntry(page, { start: '12:00', end: '12:20', category: 'documentation', note: 'Von Begleitung 07' });

    // The Wi-Fi comes back but stays too weak for syncing (token requests fail) until the colleague
    // takes the tablet over and signs in: then the tablet syncs the colleague, and after them the
    // first user with the first user's own tokens.
    let signingIn = false;
    await tablet.context.route('**/api/v1/auth/sign-in', (route) => { signingIn = true; return route.continue(); });
    await tablet.context.route('**/api/v1/auth/token', (route) => (signingIn ? route.continue() : route.abort()));
    await tablet.context.setOffline(false);
    await page.goto(`${server.url}/anmelden`);
    await waitForPage(page, 'page-anmelden');
    await signIn(page, 'begleitung08', PASSWORD, '');
    await waitForPage(page, 'page-heute');
    await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Einstellungen' }).click();
    await page.getByTestId('signed-in-as').waitFor();
    assert.match(await page.getByTestId('signed-in-as').textContent(), /begleitung08/);

    const first = await apiSession('begleitung07');
    await page.waitForFunction(() => !document.querySelector('[data-testid="syncing"]'));
    let found = [];
    for (let attempt = 0; attempt < 20 && found.length === 0; attempt += 1) {
      const pulled = await first.call('/sync/pull', { protocol: 1, cursors: [], limit: 1000 });
      found = pulled.records.filter((r) => r.fields.note === 'Von Begleitung 07');
      if (found.length === 0) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    assert.equal(found.length, 1, "the first user's entry is on the server, once");
    await openToday(page);
    assert.equal(await page.getByText('Von Begleitung 07').count(), 0, 'the colleague does not see it');
  } finally {
    await tablet.close();
  }
});

test('the page closed in the middle of a sync: the next start resumes and nothing arrives twice', async () => {
  const tablet = await signedInTablet('begleitung09', 'Tablet Klasse 4c', VIEWPORTS[0]);
  try {
    const { page, context } = tablet;
    await openToday(page);
    await goOffline(tablet);
    for (let i = 0; i < 5; i += 1) {
      await addEntry(page, { start: `1${i}:00`, end: `1${i}:40`, category: 'class', note: `Unterbrochen ${i}` });
    }
    // The push reaches the server, but the page is gone before the answer arrives.
    let reached;
    const pushReached = new Promise((resolve) => { reached = resolve; });
    await context.route('**/api/v1/sync/push', async (route) => {
      await route.fetch();
      reached();
    });
    await context.setOffline(false);
    await pushReached;
    await page.close();
    await context.unrouteAll({ behavior: 'ignoreErrors' });

    const reopened = await context.newPage();
    await reopened.goto(`${server.url}/heute`);
    await reopened.locator('[data-testid="page-heute"][data-ready="true"]').waitFor();
    await allSynced(reopened);
    const pulled = await (await apiSession('begleitung09')).call('/sync/pull', { protocol: 1, cursors: [], limit: 1000 });
    const notes = pulled.records.filter((r) => /^Unterbrochen/.test(r.fields.note ?? '')).map((r) => r.fields.note).sort();
    assert.deepEqual(notes, [0, 1, 2, 3, 4].map((i) => `Unterbrochen ${i}`), 'each entry once');
    assert.equal(await reopened.getByTestId('entry').count(), 5);
  } finally {
    await tablet.close();
  }
});

test('a one-time password made for a new companion must be changed on the tablet before anything else', async () => {
  const admin = await browserApiSession(server.url, 'admin', 'office');
  const { one_time_password: first } = await admin.call('/users', { login: 'neue.begleitung', display_name: 'Neue Begleitung', role: 'companion' });
  const tablet = await launchBrowser({ viewport: VIEWPORTS[0] });
  try {
    const { page } = tablet;
    await openSignIn(page);
    await signIn(page, 'neue.begleitung', first, 'Tablet Neu');
    await waitForPage(page, 'page-passwort');
    assert.equal(await page.getByRole('navigation', { name: 'Hauptnavigation' }).count(), 0, 'nothing else until it is changed');
    await page.goto(`${server.url}/heute`);
    await waitForPage(page, 'page-passwort');
    await screenshot(page, 'first-password');
    assert.deepEqual(await axeViolations(page), []);

    const fill = async (current, next, repeated) => {
      await page.getByLabel('Bisheriges Passwort').fill(current);
      await page.getByLabel('Neues Passwort', { exact: true }).fill(next);
      await page.getByLabel('Neues Passwort wiederholen').fill(repeated);
      await page.getByTestId('password-change-submit').click();
    };
    const error = page.getByTestId('password-change-error');
    await fill(first, 'mein-eigenes-passwort', 'mein-eigenes-passwoRt');
    await error.filter({ hasText: 'Die beiden neuen Passwörter stimmen nicht überein.' }).waitFor();
    await fill('falsch-geraten', 'mein-eigenes-passwort', 'mein-eigenes-passwort');
    await error.filter({ hasText: 'Das bisherige Passwort stimmt nicht.' }).waitFor();
    await fill(first, 'zu-kurz', 'zu-kurz');
    await error.filter({ hasText: 'mindestens 10 Zeichen' }).waitFor();
    await fill(first, 'mein-eigenes-passwort', 'mein-eigenes-passwort');

    // Changed: the app opens, the tablet syncs with the same sign-in, and the new password works.
    await waitForPage(page, 'page-heute');
    await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Einstellungen' }).click();
    await page.waitForFunction(() => /Zuletzt synchronisiert/.test(document.querySelector('[data-testid="last-sync"]')?.textContent ?? ''));
    const again = await fetch(`${server.url}/api/v1/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'neue.begleitung', password: 'mein-eigenes-passwort', device: { id: crypto.randomUUID(), label: 'Prüfung', secret: deviceSecret() } }),
    });
    assert.equal((await again.json()).user.must_change_password, false);
    // The refusals above are the server's answers (403 wrong password, 422 too short), logged by the browser.
    assert.deepEqual(tablet.problems.filter((p) => !/status of (403|422)/.test(p)), []);
  } finally {
    await tablet.close();
  }
});
