// People and tablets in the office, on the demo provider, at a laptop's size and a tablet's: the admin
// creates a team lead and a companion, each with a one-time password shown once, which both must
// change at their first sign-in (the team lead in the office, the companion on a tablet); a team lead
// manages only companions. A demo companion's tablet syncs while one of its changes waits under
// "Zu klären" (its week approved meanwhile); the office's tablet list shows that tablet's last sync
// and the change it holds, since when; the team lead revokes it, told what is lost, and it wipes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  VIEWPORTS, addEntry, approveWeek, axeViolations, changeFirstPassword, createPerson, firstSignInOnTablet, goOffline, navigateTo, now, openRoom,
  screenshot, signedInOffice, signedInTablet, startServer,
} from './harness.mjs';

let server;
before(async () => { server = await startServer({ demo: true }); });
after(async () => { await server?.stop(); });

const LAPTOP = { name: 'laptop', width: 1280, height: 800 };
const TABLET = { name: 'tablet', width: 1024, height: 768 };

test('the admin creates a team lead and a companion with one-time passwords, which both change at their first sign-in; team leads manage companions only', async () => {
  const browsers = [];
  try {
    const admin = await signedInOffice(server.url, 'admin', LAPTOP);
    browsers.push(admin);
    // The admin's office opens on its people.
    await admin.page.locator('[data-testid="page-people"][data-ready="true"]').waitFor();
    const rowOf = (page, name) => page.getByTestId('person').filter({ has: page.getByRole('rowheader', { name, exact: true }) });
    assert.equal(await rowOf(admin.page, 'Teamleitung (Demo)').count(), 1);
    assert.deepEqual(await axeViolations(admin.page), []);

    // A missing role is said before anything is sent.
    await admin.page.getByTestId('person-form').getByLabel('Name', { exact: true }).fill('Nina Neu');
    await admin.page.getByTestId('person-form').getByLabel('Benutzername').fill('nina.neu');
    await admin.page.getByTestId('person-create').click();
    await admin.page.getByTestId('person-problem').filter({ hasText: 'Bitte wählen Sie die Rolle.' }).waitFor();
    // A login in use is refused by the server, in words.
    await admin.page.getByTestId('person-form').getByLabel('Benutzername').fill('begleitung01');
    await admin.page.getByTestId('person-form').getByLabel('Rolle').selectOption({ label: 'Schulbegleitung' });
    await admin.page.getByTestId('person-create').click();
    await admin.page.getByTestId('person-problem').filter({ hasText: 'Dieser Benutzername ist schon vergeben.' }).waitFor();

    const leadPassword = await createPerson(admin.page, { name: 'Nina Neu', login: 'nina.neu', role: 'Teamleitung' });
    const companionPassword = await createPerson(admin.page, { name: 'Ole Neu', login: 'ole.neu', role: 'Schulbegleitung' });
    for (const name of ['Nina Neu', 'Ole Neu']) {
      await rowOf(admin.page, name).waitFor();
      assert.equal(await rowOf(admin.page, name).getByTestId('person-status').textContent(), 'Einmal-Passwort noch nicht geändert');
    }
    await screenshot(admin.page, 'office-people-laptop');
    await admin.page.setViewportSize({ width: TABLET.width, height: TABLET.height });
    assert.deepEqual(await axeViolations(admin.page), []);
    await admin.page.getByTestId('language-switch').click();
    await admin.page.getByRole('heading', { name: 'People' }).waitFor();
    assert.deepEqual(await axeViolations(admin.page), []);
    await screenshot(admin.page, 'office-people-tablet-en');
    await admin.page.getByTestId('language-switch').click();

    // The new team lead changes the one-time password in the office, then lands on Vertretung.
    const lead = await signedInOffice(server.url, 'nina.neu', TABLET, { password: leadPassword });
    browsers.push(lead);
    await lead.page.getByTestId('password-change').waitFor();
    await changeFirstPassword(lead.page, leadPassword, 'ninas-eigenes-passwort');
    await lead.page.locator('[data-testid="page-vertretung"][data-ready="true"]').waitFor();
    // Team leads give companions' accounts only, and manage no other.
    await openRoom(lead.page, 'Personen', 'page-people');
    const roles = await lead.page.getByTestId('person-form').getByLabel('Rolle').locator('option').allTextContents();
    assert.deepEqual(roles, ['Bitte wählen', 'Schulbegleitung']);
    assert.equal(await rowOf(lead.page, 'Admin (Demo)').getByRole('button').count(), 0);
    assert.equal(await rowOf(lead.page, 'Nina Neu').getByRole('button').count(), 0, 'not even their own account');
    assert.equal(await rowOf(lead.page, 'Ole Neu').getByTestId('person-deactivate').count(), 1);
    assert.equal(await lead.page.getByTestId('person').filter({ hasText: 'Elternteil' }).count(), 0, "parents' accounts are not theirs");
    assert.deepEqual(await axeViolations(lead.page), []);

    // The new companion changes the one-time password on the tablet before anything else.
    const tablet = await firstSignInOnTablet(server.url, 'ole.neu', companionPassword, 'oles-eigenes-passwort', 'Tablet Ole');
    browsers.push(tablet);

    // Active now: the lists say so, with when each was last active.
    await admin.page.getByTestId('people-reload').click();
    await rowOf(admin.page, 'Ole Neu').getByTestId('person-status').filter({ hasText: 'Aktiv' }).waitFor();
    assert.match(await rowOf(admin.page, 'Ole Neu').textContent(), /\d\d\.\d\d\.\d{4}, \d\d:\d\d Uhr/);

    // The team lead deactivates the companion, after a confirmation that says what it means.
    await rowOf(lead.page, 'Ole Neu').getByTestId('person-deactivate').click();
    assert.match(await rowOf(lead.page, 'Ole Neu').textContent(), /Ole Neu kann sich nicht mehr anmelden und wird überall abgemeldet\. Alles Dokumentierte bleibt erhalten\./);
    assert.deepEqual(await axeViolations(lead.page), []);
    await rowOf(lead.page, 'Ole Neu').getByTestId('person-confirm').click();
    await rowOf(lead.page, 'Ole Neu').getByTestId('person-status').filter({ hasText: 'Deaktiviert' }).waitFor();
    const refused = await fetch(`${server.url}/api/v1/auth/browser/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'ole.neu', password: 'oles-eigenes-passwort', way: 'office' }),
    });
    assert.equal(refused.status, 401, 'a deactivated account cannot sign in');
    // Activated again, and a reset: a new one-time password, shown once.
    await rowOf(lead.page, 'Ole Neu').getByTestId('person-activate').click();
    await rowOf(lead.page, 'Ole Neu').getByTestId('person-confirm').click();
    await rowOf(lead.page, 'Ole Neu').getByTestId('person-status').filter({ hasText: 'Aktiv' }).waitFor();
    await rowOf(lead.page, 'Ole Neu').getByTestId('person-reset').click();
    await rowOf(lead.page, 'Ole Neu').getByTestId('person-confirm').click();
    await lead.page.getByTestId('one-time-password').filter({ hasText: 'Einmal-Passwort für Ole Neu' }).waitFor();
    assert.notEqual(await lead.page.getByTestId('one-time-password-value').textContent(), companionPassword);
    await rowOf(lead.page, 'Ole Neu').getByTestId('person-status').filter({ hasText: 'Einmal-Passwort noch nicht geändert' }).waitFor();
    await screenshot(lead.page, 'office-people-lead-tablet');
  } finally {
    for (const browser of browsers) await browser.close();
  }
});

test('the office sees which tablet holds a change under "Zu klären" since when, and revoking it says what is lost; the tablet wipes', async () => {
  const browsers = [];
  try {
    const tablet = await signedInTablet(server.url, 'begleitung05', 'Tablet Klasse 2c', VIEWPORTS[0]);
    browsers.push(tablet);
    await navigateTo(tablet.page, 'Heute', 'page-heute');
    await goOffline(tablet);
    await addEntry(tablet.page, { start: '10:00', end: '10:30', category: 'preparation', note: 'Nach der Freigabe' });
    // Meanwhile the team lead approves the companion's week: the entry is refused at the next sync.
    await approveWeek(server.url, 'begleitung05', now());
    await tablet.context.setOffline(false);
    await tablet.page.getByTestId('attention-count').waitFor({ timeout: 20000 });

    const lead = await signedInOffice(server.url, 'teamleitung', LAPTOP);
    browsers.push(lead);
    await openRoom(lead.page, 'Tablets', 'page-tablets');
    const row = lead.page.getByTestId('tablet').filter({ has: lead.page.getByRole('rowheader', { name: 'Tablet Klasse 2c' }) });
    // The report arrives with the sync that brought the refusal: reload until it is there.
    for (let tries = 0; !/Zu klären/.test(await row.getByTestId('tablet-holding').textContent()); tries += 1) {
      assert.ok(tries < 20, 'the tablet reports the change it holds');
      await lead.page.waitForTimeout(500);
      await lead.page.getByTestId('tablets-reload').click();
    }
    assert.match(await row.getByTestId('tablet-holding').textContent(), /^1 ungesendete Änderung seit \d\d:\d\d Uhr, davon 1 unter „Zu klären“$/);
    assert.match(await row.getByTestId('tablet-person').textContent(), /^Begleitung 05 \(Demo\): 1 ungesendete Änderung seit .* \(gemeldet \d\d\.\d\d\.\d{4}, \d\d:\d\d Uhr\)$/);
    assert.match(await row.textContent(), /0\.1\.0/);
    // Narrowed to the companion, the list shows only the tablets they are on (this one among them).
    const everyTablet = await lead.page.getByTestId('tablet').count();
    await lead.page.getByTestId('tablets-filter').selectOption({ label: 'Begleitung 05 (Demo)' });
    await lead.page.waitForFunction((all) => document.querySelectorAll('[data-testid="tablet"]').length < all, everyTablet);
    for (const people of await lead.page.getByTestId('tablet').locator('.tablet-people').allTextContents()) {
      assert.match(people, /Begleitung 05 \(Demo\)/);
    }
    await row.waitFor();
    await screenshot(lead.page, 'office-tablets-laptop');
    assert.deepEqual(await axeViolations(lead.page), []);

    // Revoking asks first, and says what is lost.
    await row.getByTestId('revoke').click();
    assert.match(
      await row.getByTestId('revoke-question').textContent(),
      /Tablet Klasse 2c sperren\? Es löscht bei seiner nächsten Verbindung alle Daten\. Die eine Änderung, die es zuletzt \(\d\d:\d\d Uhr\) als nicht übertragen gemeldet hat, geht verloren\./,
    );
    await lead.page.setViewportSize({ width: TABLET.width, height: TABLET.height });
    assert.deepEqual(await axeViolations(lead.page), []);
    await lead.page.getByTestId('language-switch').click();
    await row.getByTestId('revoke-question').filter({ hasText: 'The one change it last reported' }).waitFor();
    assert.deepEqual(await axeViolations(lead.page), []);
    await screenshot(lead.page, 'office-tablets-revoke-tablet-en');
    await lead.page.getByTestId('language-switch').click();
    await row.getByTestId('revoke-confirm').click();
    await row.locator('.badge', { hasText: 'Gesperrt' }).waitFor();

    // At its next contact the tablet wipes itself: signed out, nothing left.
    await tablet.page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Einstellungen' }).click();
    await tablet.page.getByTestId('sync-now').click();
    await tablet.page.getByTestId('signed-out').waitFor({ timeout: 20000 });
  } finally {
    for (const browser of browsers) await browser.close();
  }
});
