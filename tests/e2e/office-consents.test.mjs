// A team lead records what the companions need before they start, on a server without demo data:
// three children with approved hours, their guardians (one guardian has custody of two of them) and
// the signed paper forms — one of them refuses naming. The companion's tablet, at its first sync,
// offers the two children with naming consent in a group session and not the third, and the session
// reaches the server naming them; the office shows what each child received against their approved
// hours. Then the third child's guardian signs naming after all: the tablet offers the child from its
// next sync. Checked with axe at a laptop's size and a tablet's.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  allSynced, axeViolations, berlinDate, changeFirstPassword, createAdmin, firstSignInOnTablet, navigateTo, officeSession, openRoom, screenshot,
  signedInOffice, startServer,
} from './harness.mjs';

const ADMIN = { provider: 'Träger Neu gGmbH', login: 'chefin', displayName: 'Chefin Neu', password: 'chefin-passwort-2026' };
const LAPTOP = { name: 'laptop', width: 1280, height: 800 };

let server;
before(async () => {
  server = await startServer();
  await createAdmin(server, ADMIN);
});
after(async () => { await server?.stop(); });

/** The admin's set-up of the previous step, through the API: a school, its pool, a team lead and a companion in it. */
async function setUp() {
  const admin = await officeSession(server.url, ADMIN.login, { password: ADMIN.password });
  const institution = await admin.call('/office/institutions', { name: 'Schule am Wasser', kind: 'school', region: 'Nord', year_levels: [1, 2, 3, 4], groups: [] });
  const pool = await admin.call('/office/pools', { institution: institution.id, school_year: 2026 });
  const lead = await admin.call('/users', { login: 'lea.leitung', display_name: 'Lea Leitung', role: 'team_lead' });
  const companion = await admin.call('/users', { login: 'ole.neu', display_name: 'Ole Neu', role: 'companion' });
  for (const person of [lead, companion]) {
    await admin.call('/office/memberships', { pool: pool.id, person: person.id, contract_minutes_per_week: 1170, first_day: berlinDate() });
  }
  return { admin, pool, lead, companion };
}

test('children, guardians and paper consents in the office; the tablet names only the children whose guardians consented', async () => {
  const { admin, pool, lead, companion } = await setUp();
  const browsers = [];
  try {
    const office = await signedInOffice(server.url, 'lea.leitung', LAPTOP, { password: lead.one_time_password });
    browsers.push(office);
    const { page } = office;
    await changeFirstPassword(page, lead.one_time_password, 'leas-eigenes-passwort');
    await page.getByRole('navigation', { name: 'Bereiche des Büros' }).waitFor();
    await openRoom(page, 'Kinder', 'page-children');

    const children = page.getByTestId('children-pool').filter({ has: page.getByRole('heading', { name: 'Schule am Wasser' }) });
    const childRow = (name) => children.getByTestId('child').filter({ has: page.getByRole('rowheader', { name, exact: true }) });
    for (const [name, basis, hours] of [['Mila', '§ 35a SGB VIII', '10'], ['Jonas', '§ 112 SGB IX', '7,5'], ['Emil', '§ 35a SGB VIII', '5']]) {
      const form = page.getByTestId('child-form');
      await page.getByTestId('child-pool').selectOption({ label: 'Schule am Wasser' });
      await form.getByLabel('Name oder Pseudonym').fill(name);
      await form.getByLabel('Klasse oder Gruppe').fill('2b');
      await form.getByLabel('Rechtsgrundlage').selectOption({ label: basis });
      await form.getByLabel('Bewilligte Stunden pro Woche').fill(hours);
      if (name === 'Emil') {
        // Approved, and waiting for his companion to begin next week.
        await form.getByLabel('Status').selectOption({ label: 'wartet auf Beginn' });
        await form.getByLabel('Bewilligt am (optional)').fill(berlinDate(-10));
        await form.getByLabel('Beginn', { exact: true }).fill(berlinDate(7));
      }
      await page.getByTestId('child-save').click();
      await childRow(name).waitFor();
    }
    assert.equal(await childRow('Emil').locator('td').nth(3).textContent(), 'wartet auf Beginn');

    const file = page.getByTestId('child-file');
    const openFile = async (name) => {
      await childRow(name).getByTestId('child-open-file').click();
      await file.getByRole('heading', { name: `Sorgeberechtigte und Einwilligungen: ${name}` }).waitFor();
    };
    const held = async () => Object.fromEntries(await file.getByTestId('file-purpose').evaluateAll((items) => items.map((li) => [li.dataset.purpose, li.dataset.granted === 'true'])));
    const declare = async ({ guardian, purpose, state, reference, signedOn }) => {
      const form = file.getByTestId('consent-form');
      await form.getByLabel('Sorgeberechtigte Person').selectOption({ label: guardian });
      await form.getByLabel('Zweck').selectOption({ label: purpose });
      await form.getByLabel('Erklärung').selectOption({ label: state });
      await form.getByLabel('Formular-Nr. oder Aktenzeichen').fill(reference);
      await form.getByLabel('Unterschrieben am').fill(signedOn);
      await file.getByTestId('consent-save').click();
      await file.getByTestId('consent-line').filter({ hasText: reference }).waitFor();
    };
    const signedOn = berlinDate(-2);

    // Mila: a guardian, and the form refused until it names the guardian and where the form is filed.
    await openFile('Mila');
    await file.getByTestId('file-no-guardians').waitFor();
    assert.deepEqual(await held(), { documentation: false, naming: false, parent_summary: false });
    await file.getByTestId('guardian-save').click();
    await file.getByTestId('file-problem').filter({ hasText: 'Bitte geben Sie den Namen ein, wie er auf dem Formular steht' }).waitFor();
    await file.getByLabel('Name', { exact: true }).fill('Petra Sommer');
    await file.getByLabel('Kontakt (optional)').fill('0421 555 0101');
    await file.getByTestId('guardian-save').click();
    await file.getByTestId('file-guardian').filter({ hasText: 'Petra Sommer · 0421 555 0101' }).waitFor();
    await file.getByTestId('consent-save').click();
    await file.getByTestId('file-problem').filter({ hasText: 'Bitte wählen Sie die sorgeberechtigte Person.' }).waitFor();
    await file.getByTestId('consent-form').getByLabel('Sorgeberechtigte Person').selectOption({ label: 'Petra Sommer' });
    await file.getByTestId('consent-save').click();
    await file.getByTestId('file-problem').filter({ hasText: 'Bitte geben Sie an, unter welcher Nummer das Formular abgelegt ist' }).waitFor();
    await declare({ guardian: 'Petra Sommer', purpose: 'Beobachtungen dokumentieren', state: 'Einwilligung erteilt', reference: 'EV-2026-001', signedOn });
    await declare({ guardian: 'Petra Sommer', purpose: 'In Gruppenangeboten namentlich nennen', state: 'Einwilligung erteilt', reference: 'EV-2026-002', signedOn });
    assert.deepEqual(await held(), { documentation: true, naming: true, parent_summary: false });

    // Mila's support plan: two goals, one reworded, one closed again.
    const goalForm = file.getByTestId('goal-form');
    await file.getByTestId('goal-save').click();
    await file.getByTestId('file-problem').filter({ hasText: 'Bitte beschreiben Sie das Ziel in höchstens 200 Zeichen.' }).waitFor();
    for (const title of ['Pausen ohne Streit', 'Arbeitsauftrag beginnen']) {
      await goalForm.getByLabel('Ziel').fill(title);
      await file.getByTestId('goal-save').click();
      await file.getByTestId('file-goal').filter({ hasText: title }).waitFor();
    }
    await file.getByTestId('file-goal').filter({ hasText: 'Arbeitsauftrag beginnen' }).getByTestId('goal-edit').click();
    await goalForm.getByLabel('Ziel').fill('Arbeitsauftrag selbst beginnen');
    await file.getByTestId('goal-save').click();
    await file.getByTestId('file-goal').filter({ hasText: 'Arbeitsauftrag selbst beginnen' }).waitFor();
    await file.getByTestId('file-goal').filter({ hasText: 'Pausen ohne Streit' }).getByTestId('goal-toggle').click();
    await file.locator('[data-testid="file-goal"][data-active="false"]').filter({ hasText: 'Pausen ohne Streit · abgeschlossen' }).waitFor();
    assert.deepEqual(await file.getByTestId('file-goal').locator('span').allTextContents(), ['Arbeitsauftrag selbst beginnen', 'Pausen ohne Streit']);
    assert.deepEqual(await axeViolations(page), []);
    await screenshot(page, 'office-child-file-laptop');

    // Jonas is Mila's brother: the same guardian, linked, and the same two consents.
    await openFile('Jonas');
    await file.getByLabel('Bereits erfasst (z. B. bei Geschwistern)').selectOption({ label: 'Petra Sommer' });
    await file.getByTestId('guardian-link').click();
    await file.getByTestId('file-guardian').filter({ hasText: 'Petra Sommer' }).waitFor();
    await declare({ guardian: 'Petra Sommer', purpose: 'Beobachtungen dokumentieren', state: 'Einwilligung erteilt', reference: 'EV-2026-003', signedOn });
    await declare({ guardian: 'Petra Sommer', purpose: 'In Gruppenangeboten namentlich nennen', state: 'Einwilligung erteilt', reference: 'EV-2026-004', signedOn });

    // Emil: his guardian allows documentation and refuses naming.
    await openFile('Emil');
    await file.getByLabel('Name', { exact: true }).fill('Jan Adler');
    await file.getByTestId('guardian-save').click();
    await file.getByTestId('file-guardian').filter({ hasText: 'Jan Adler' }).waitFor();
    await declare({ guardian: 'Jan Adler', purpose: 'Beobachtungen dokumentieren', state: 'Einwilligung erteilt', reference: 'EV-2026-005', signedOn });
    await declare({ guardian: 'Jan Adler', purpose: 'In Gruppenangeboten namentlich nennen', state: 'Einwilligung widerrufen', reference: 'EV-2026-006', signedOn });
    assert.deepEqual(await held(), { documentation: true, naming: false, parent_summary: false });
    assert.deepEqual(await file.getByTestId('consent-line').first().locator('td').allTextContents(), [
      signedOn.split('-').reverse().join('.'), 'In Gruppenangeboten namentlich nennen', 'Einwilligung widerrufen', 'Jan Adler', 'EV-2026-006',
    ]);
    await page.setViewportSize({ width: 1024, height: 768 });
    assert.deepEqual(await axeViolations(page), []);
    await screenshot(page, 'office-child-file-tablet');

    // On the server: declarations name the guardians as custodians, recorded by the lead from forms.
    const records = await admin.records(['child', 'guardian', 'consent']);
    const byName = Object.fromEntries(records.filter((r) => r.kind === 'child').map((r) => [r.fields.display_name, r.id]));
    const emil = records.find((r) => r.kind === 'child' && r.fields.display_name === 'Emil');
    assert.deepEqual([emil.fields.status, emil.fields.approved_on, emil.fields.since], ['waiting', berlinDate(-10), berlinDate(7)]);
    const petra = records.find((r) => r.kind === 'guardian' && r.fields.name === 'Petra Sommer');
    assert.deepEqual([...petra.sets.children].sort(), [byName.Mila, byName.Jonas].sort());
    const consents = records.filter((r) => r.kind === 'consent');
    assert.equal(consents.length, 6);
    assert.ok(consents.every((r) => r.fields.recorded_by === lead.id && r.fields.form.signed_on === signedOn));

    // The companion's tablet, at its first sync: Mila and Jonas can be named, Emil only counted.
    const tablet = await firstSignInOnTablet(server.url, 'ole.neu', companion.one_time_password, 'oles-eigenes-passwort', 'Tablet Schule am Wasser');
    browsers.push(tablet);
    const tab = tablet.page;
    await allSynced(tab);
    await navigateTo(tab, 'Heute', 'page-heute');
    await tab.getByTestId('add-session').click();
    await tab.locator('[data-testid="page-gruppenangebot"][data-ready="true"]').waitFor();
    assert.deepEqual((await tab.getByTestId('session-child').allTextContents()).map((t) => t.trim()).sort(), ['Jonas', 'Mila']);
    assert.match(await tab.getByTestId('session-unnameable').textContent(), /^1 Kinder im Pool ohne Einwilligung zur Namensnennung/);
    await tab.getByLabel('Beginn').fill('09:00');
    await tab.getByLabel('Dauer (Minuten)').fill('45');
    await tab.getByLabel('Art des Angebots').selectOption({ label: 'Konfliktlösung' });
    await tab.getByLabel('Klasse / Gruppe').fill('2b');
    for (const name of ['Mila', 'Jonas']) await tab.getByTestId('session-child').filter({ hasText: name }).click();
    await tab.getByRole('button', { name: 'Eine Person mehr' }).click();
    await tab.getByTestId('session-save').click();
    await tab.locator('[data-testid="page-heute"][data-ready="true"]').waitFor();
    await allSynced(tab);
    // Mila's open goal is offered for an observation, the closed one not.
    await tab.getByTestId('add-observation').click();
    await tab.locator('[data-testid="page-beobachtung"][data-ready="true"]').waitFor();
    await tab.getByTestId('observation-child').filter({ hasText: 'Mila' }).click();
    assert.deepEqual(await tab.getByLabel('Ziel aus dem Förderplan').locator('option').allTextContents(), ['Kein bestimmtes Ziel', 'Arbeitsauftrag selbst beginnen']);
    await navigateTo(tab, 'Heute', 'page-heute');

    const [session] = await admin.records(['group_session']);
    assert.equal(session.pool, pool.id);
    assert.deepEqual([...session.sets.children].sort(), [byName.Mila, byName.Jonas].sort());
    assert.equal(session.fields.unnamed_participants, 1);

    // The office counts what each named child received against their approved hours: 45 minutes with
    // one companion over three participants, 15 minutes each; Emil, only counted, none.
    await page.setViewportSize({ width: LAPTOP.width, height: LAPTOP.height });
    await page.getByTestId('children-reload').click();
    await page.locator('[data-testid="page-children"][data-ready="true"]').waitFor();
    for (const [name, text] of [
      ['Mila', 'Diese Woche 0,25 Std. von 10 Std. bewilligt; diesen Monat 0,25 Std.'],
      ['Jonas', 'Diese Woche 0,25 Std. von 7,5 Std. bewilligt; diesen Monat 0,25 Std.'],
      ['Emil', 'Diese Woche 0 Std. von 5 Std. bewilligt; diesen Monat 0 Std.'],
    ]) {
      await openFile(name);
      await file.getByTestId('file-delivered').filter({ hasText: text }).waitFor();
    }

    // Emil's guardian signs naming after all: the tablet offers him from its next sync.
    await declare({ guardian: 'Jan Adler', purpose: 'In Gruppenangeboten namentlich nennen', state: 'Einwilligung erteilt', reference: 'EV-2026-007', signedOn: berlinDate() });
    assert.deepEqual(await held(), { documentation: true, naming: true, parent_summary: false });
    await tab.reload();
    await allSynced(tab);
    await tab.getByTestId('add-session').click();
    await tab.locator('[data-testid="page-gruppenangebot"][data-ready="true"]').waitFor();
    await tab.getByTestId('session-child').filter({ hasText: 'Emil' }).waitFor();
  } finally {
    for (const browser of browsers) await browser.close();
  }
});
