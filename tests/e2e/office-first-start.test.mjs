// A provider starts from zero, on a server started without demo data: its first admin comes from
// `create-admin`, signs in to the office and is guided step by step — imports the allocation list (a
// broken copy is refused with its line numbers first), sees 42 schools with their FTE, creates a pool
// at one school for 2026/27, creates two companions' accounts and adds them to the pool with their
// weekly hours (ending one again), and records two children. The first companion signs in on a tablet, changes the one-time
// password and records an hour, which reaches the server in that pool. A second provider sees none of
// it. Checked with axe at a laptop's size and a tablet's.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  addEntry, allSynced, axeViolations, createAdmin, createPerson, firstSignInOnTablet, officeSession, openRoom, screenshot, signedInOffice,
  startServer,
} from './harness.mjs';

const LIST = await readFile(path.join(path.dirname(new URL(import.meta.url).pathname), '../../crates/server/demo/bremen-systemic-schools-2026.csv'), 'utf8');
const ADMIN = { provider: 'Träger Neu gGmbH', login: 'chefin', displayName: 'Chefin Neu', password: 'chefin-passwort-2026' };
const OTHER = { provider: 'Anderer Träger e.V.', login: 'andere', displayName: 'Andere Chefin', password: 'andere-passwort-2026' };

let server;
before(async () => {
  server = await startServer();
  await createAdmin(server, ADMIN);
  await createAdmin(server, OTHER);
});
after(async () => { await server?.stop(); });

const LAPTOP = { name: 'laptop', width: 1280, height: 800 };
const TABLET = { name: 'tablet', width: 1024, height: 768 };

/** The guide's steps as [text, done] pairs, and which one is next. */
async function guide(page) {
  const steps = page.getByTestId('setup-step');
  const shown = [];
  for (let i = 0; i < await steps.count(); i += 1) {
    const step = steps.nth(i);
    shown.push([await step.getByRole('link').textContent(), await step.getAttribute('data-done') === 'true']);
  }
  const next = await page.getByTestId('setup-guide').locator('[aria-current="step"]').textContent();
  return { shown, next };
}

/** Follows the guide's link to its next step and waits for that room. */
async function followGuide(page, testid) {
  await page.getByTestId('setup-guide').locator('[aria-current="step"]').click();
  await page.locator(`[data-testid="${testid}"][data-ready="true"]`).waitFor();
}

async function preview(page, name, csv) {
  await page.getByTestId('import-file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
  await page.getByTestId('import-year').selectOption({ label: '2026/27' });
  await page.getByTestId('import-preview').click();
}

test('a provider from zero: create-admin, the allocation list, a pool with two companions, and the first entry arrives in that pool', async () => {
  const browsers = [];
  try {
    const admin = await signedInOffice(server.url, ADMIN.login, LAPTOP, { password: ADMIN.password });
    browsers.push(admin);
    const { page } = admin;
    // An empty office says what to do, in order.
    await page.getByTestId('setup-guide').waitFor();
    assert.deepEqual(await guide(page), {
      shown: [
        ['Einrichtungen: die Zuweisungsliste der Behörde importieren', false],
        ['Schuljahr und VZÄ: die Liste eines Schuljahres mit den VZÄ je Einrichtung', false],
        ['Pools: je Einrichtung und Schuljahr einen Pool anlegen', false],
        ['Personen: Konten für die Schulbegleitungen anlegen', false],
        ['Pool-Mitglieder: die Schulbegleitungen mit ihren Wochenstunden in ihre Pools aufnehmen', false],
        ['Kinder: die Kinder mit ihren bewilligten Stunden in ihren Pools anlegen', false],
      ],
      next: 'Einrichtungen: die Zuweisungsliste der Behörde importieren',
    });
    assert.deepEqual(await axeViolations(page), []);
    await screenshot(page, 'office-first-start-laptop');

    // Institutions: a broken copy is refused line by line, then the list imports.
    await followGuide(page, 'page-institutions');
    await page.getByText('Noch keine Einrichtungen. Importieren Sie die Zuweisungsliste der Behörde.').waitFor();
    const broken = LIST.replace('Nord,Schule am Wasser,4,3.3', 'Nord,Schule am Wasser,vier,3.3').replace('Nord,Tami-Oelfken-Schule,4,3.5', 'Nord,Tami-Oelfken-Schule,4,3.5,x');
    await preview(page, 'kaputt.csv', broken);
    await page.getByTestId('import-errors').waitFor();
    assert.deepEqual(await page.getByTestId('import-error').allTextContents(), [
      'Zeile 2: „vier“ ist keine Zahl systemischer Jahrgänge (0 bis 13).',
      'Zeile 3: 4 durch Kommas getrennte Felder erwartet, 5 gefunden.',
    ]);
    assert.equal(await page.getByTestId('import-do').count(), 0, 'nothing to import');
    await preview(page, 'bremen.csv', LIST);
    await page.getByTestId('import-plan').filter({ hasText: '42 Zeilen: 42 neu, 0 geändert, 0 unverändert.' }).waitFor();
    await page.getByTestId('import-do').click();
    await page.getByTestId('institutions-count').filter({ hasText: '42 Einrichtungen, 42 mit VZÄ im Schuljahr 2026/27: zusammen 73,33 VZÄ' }).waitFor();
    assert.equal(await page.getByTestId('institution').count(), 42);
    const wasser = page.getByTestId('institution').filter({ has: page.getByRole('rowheader', { name: 'Schule am Wasser' }) });
    assert.deepEqual(await wasser.locator('td').allTextContents(), ['Nord', '1–4', '3,3', 'Bearbeiten']);
    // The guide has looked again: the list's two steps are done, pools come next.
    await page.getByTestId('setup-step').nth(1).and(page.locator('[data-done="true"]')).waitFor();
    assert.equal((await guide(page)).next, 'Pools: je Einrichtung und Schuljahr einen Pool anlegen');

    // A pool at Schule am Wasser for 2026/27.
    await followGuide(page, 'page-pools');
    await page.getByTestId('pools-none').filter({ hasText: 'Im Schuljahr 2026/27 gibt es noch keine Pools.' }).waitFor();
    assert.equal(await page.getByTestId('join-form').count(), 0, 'no pool to join yet');
    await page.getByTestId('pool-create').click();
    await page.getByTestId('pools-problem').filter({ hasText: 'Bitte wählen Sie die Einrichtung.' }).waitFor();
    await page.getByTestId('pool-institution').selectOption({ label: 'Schule am Wasser' });
    await page.getByTestId('pool-create').click();
    const pool = page.getByTestId('pool').filter({ has: page.getByRole('heading', { name: 'Schule am Wasser' }) });
    await pool.getByText('Noch niemand in diesem Pool.').waitFor();
    const offered = await page.getByTestId('pool-institution').locator('option').allTextContents();
    assert.equal(offered.length, 42, 'the 41 other schools and "Bitte wählen"');
    assert.ok(!offered.includes('Schule am Wasser'), 'one pool per school and year');
    assert.deepEqual(await axeViolations(page), []);

    // Two companions' accounts.
    await followGuide(page, 'page-people');
    const olePassword = await createPerson(page, { name: 'Ole Neu', login: 'ole.neu', role: 'Schulbegleitung' });
    await createPerson(page, { name: 'Pia Neu', login: 'pia.neu', role: 'Schulbegleitung' });
    // Regression: a form reset after saving kept showing the old choice in its selects (a browser stops
    // following `selected` attributes once someone chose), while the form held none.
    assert.equal(await page.getByTestId('person-role').inputValue(), '', 'the role select starts afresh');

    // Both join the pool with their weekly hours; a number out of range is said before sending.
    await followGuide(page, 'page-pools');
    const join = async (person, hours) => {
      await page.getByTestId('join-pool').selectOption({ label: 'Schule am Wasser' });
      await page.getByTestId('join-person').selectOption({ label: person });
      await page.getByTestId('join-hours').fill(hours);
      await page.getByTestId('join-add').click();
    };
    await join('Ole Neu', '60');
    await page.getByTestId('join-problem').filter({ hasText: 'Die Wochenstunden müssen mehr als 0 und höchstens 48 sein.' }).waitFor();
    await join('Ole Neu', '19,5');
    await pool.getByTestId('membership').filter({ hasText: 'Ole Neu' }).waitFor();
    await join('Pia Neu', '30');
    await pool.getByTestId('pool-summary').filter({ hasText: '2 Personen, zusammen 49,5 Wochenstunden laut Vertrag' }).waitFor();
    const ole = pool.getByTestId('membership').filter({ has: page.getByRole('rowheader', { name: 'Ole Neu' }) });
    assert.deepEqual(await ole.locator('td').allTextContents(), ['Schulbegleitung', '19,5', '24.11.2026', '–', 'Beenden']);
    assert.deepEqual(await axeViolations(page), []);
    await screenshot(page, 'office-pools-laptop');

    // The children: one with an individual entitlement (its hours are asked for), one systemic.
    await followGuide(page, 'page-children');
    const child = async ({ name, group, basis, hours }) => {
      const form = page.getByTestId('child-form');
      await page.getByTestId('child-pool').selectOption({ label: 'Schule am Wasser' });
      await form.getByLabel('Name oder Pseudonym').fill(name);
      await form.getByLabel('Klasse oder Gruppe').fill(group);
      await form.getByLabel('Rechtsgrundlage').selectOption({ label: basis });
      if (hours !== undefined) await form.getByLabel('Bewilligte Stunden pro Woche').fill(hours);
      await page.getByTestId('child-save').click();
    };
    await child({ name: 'Kind A.', group: '2b', basis: '§ 35a SGB VIII', hours: '' });
    await page.getByTestId('child-problem').filter({ hasText: 'Bitte geben Sie die bewilligten Stunden pro Woche ein' }).waitFor();
    await child({ name: 'Kind A.', group: '2b', basis: '§ 35a SGB VIII', hours: '7,5' });
    await page.getByTestId('child-saved').filter({ hasText: 'Gespeichert: Kind A.' }).waitFor();
    await child({ name: 'Kind B.', group: '3a', basis: 'systemisch (ohne Einzelanspruch)' });
    const children = page.getByTestId('children-pool').filter({ has: page.getByRole('heading', { name: 'Schule am Wasser' }) });
    const childRow = (name) => children.getByTestId('child').filter({ has: page.getByRole('rowheader', { name, exact: true }) });
    await childRow('Kind B.').waitFor();
    assert.equal(await page.getByTestId('child-basis').inputValue(), 'sgb8_section35a', 'the form starts afresh, its selects too');
    assert.equal(await page.getByTestId('child-pool').inputValue(), '');
    assert.deepEqual(await childRow('Kind A.').locator('td').allTextContents(), ['2b', '§ 35a SGB VIII', '7,5 Std.', 'begleitet', '24.11.2026', 'BearbeitenSorgeberechtigte & Einwilligungen']);
    assert.deepEqual((await childRow('Kind B.').locator('td').allTextContents()).slice(0, 3), ['3a', 'systemisch (ohne Einzelanspruch)', '–']);
    // Corrected: Kind A. waits for a companion (unsupplied).
    await childRow('Kind A.').getByTestId('child-edit').click();
    await page.getByRole('heading', { name: 'Kind bearbeiten: Kind A.' }).waitFor();
    await page.getByTestId('child-form').getByLabel('Status').selectOption({ label: 'unversorgt' });
    await page.getByTestId('child-save').click();
    await childRow('Kind A.').locator('td').nth(3).filter({ hasText: 'unversorgt' }).waitFor();
    // Every step done: the guide has gone.
    await page.getByTestId('setup-guide').waitFor({ state: 'detached' });
    assert.deepEqual(await axeViolations(page), []);
    await screenshot(page, 'office-children-laptop');
    await openRoom(page, 'Pools', 'page-pools');

    // Pia's membership ends again today: it stays listed with its last day.
    const pia = pool.getByTestId('membership').filter({ has: page.getByRole('rowheader', { name: 'Pia Neu' }) });
    await pia.getByTestId('membership-end').click();
    assert.match(await pia.textContent(), /Pia Neu arbeitet bis einschließlich zu diesem Tag im Pool\. Was dokumentiert ist, bleibt im Pool\./);
    await page.setViewportSize({ width: TABLET.width, height: TABLET.height });
    assert.deepEqual(await axeViolations(page), []);
    await pia.getByTestId('membership-end-confirm').click();
    await pia.getByTestId('membership-last-day').filter({ hasText: '24.11.2026' }).waitFor();
    await pool.getByTestId('pool-summary').filter({ hasText: '1 Person, 19,5 Wochenstunden laut Vertrag' }).waitFor();
    assert.equal(await pia.getByTestId('membership-end').count(), 0, 'an ended membership ends once');
    await page.getByTestId('language-switch').click();
    await page.getByRole('heading', { name: 'Pools', level: 1 }).waitFor();
    await pool.getByTestId('pool-summary').filter({ hasText: '1 person, 19.5 weekly contract hours' }).waitFor();
    assert.deepEqual(await axeViolations(page), []);
    await screenshot(page, 'office-pools-tablet-en');

    // Ole's first day on a tablet: a password of his own, then an hour of preparation.
    const tablet = await firstSignInOnTablet(server.url, 'ole.neu', olePassword, 'oles-eigenes-passwort', 'Tablet Schule am Wasser');
    browsers.push(tablet);
    await addEntry(tablet.page, { start: '07:00', end: '08:00', category: 'preparation', note: 'Erster Tag: Vorbereitung' });
    await allSynced(tablet.page);

    // It reached the server, in Schule am Wasser's pool.
    const office = await officeSession(server.url, ADMIN.login, { password: ADMIN.password });
    const pools = await office.call('/office/pools');
    const wasserPool = pools.find((p) => p.institution === 'Schule am Wasser' && p.school_year === 2026);
    const entries = await office.records(['time_entry']);
    const entry = entries.find((r) => r.fields.note === 'Erster Tag: Vorbereitung');
    assert.ok(entry, 'the entry is on the server');
    assert.equal(entry.pool, wasserPool.id);
    const oleAccount = (await office.call('/users')).find((p) => p.login === 'ole.neu');
    assert.equal(entry.fields.companion, oleAccount.id);

    const childRecords = await office.records(['child']);
    assert.deepEqual(childRecords.map((r) => [r.fields.display_name, r.pool, r.fields.status]).sort(), [
      ['Kind A.', wasserPool.id, 'unsupplied'],
      ['Kind B.', wasserPool.id, 'supported'],
    ]);

    // The other provider sees none of it.
    const other = await officeSession(server.url, OTHER.login, { password: OTHER.password });
    assert.deepEqual(await other.call('/institutions'), []);
    assert.deepEqual(await other.call('/office/pools'), []);
    assert.deepEqual(await other.call('/office/memberships'), []);
    assert.deepEqual(await other.records(['time_entry', 'child']), []);
    assert.ok((await other.call('/users')).every((p) => !['ole.neu', 'pia.neu', ADMIN.login].includes(p.login)));
  } finally {
    for (const browser of browsers) await browser.close();
  }
});
