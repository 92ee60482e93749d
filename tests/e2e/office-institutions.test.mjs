// The authority's allocation list in the office, on the demo provider (its 42 schools with their FTE
// for 2026/27), at a laptop's size and a tablet's: the admin previews a broken copy and is told every
// bad line with its number, nothing imported; the real list for the next school year previews as 42
// changes, imports, and the list shows that year's 73.33 FTE; the same list again changes nothing.
// By hand, an Oberschule's level is corrected to year 5 and a day-care centre entered with its groups.
// Team leads see the institutions, not the import.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { axeViolations, screenshot, signedInOffice, startServer } from './harness.mjs';

const LIST = await readFile(path.join(path.dirname(new URL(import.meta.url).pathname), '../../crates/server/demo/bremen-systemic-schools-2026.csv'), 'utf8');

let server;
before(async () => { server = await startServer({ demo: true }); });
after(async () => { await server?.stop(); });

const LAPTOP = { name: 'laptop', width: 1280, height: 800 };
const TABLET = { name: 'tablet', width: 1024, height: 768 };

async function openInstitutions(page) {
  await page.getByRole('navigation', { name: /Bereiche des Büros|Office sections/ }).getByRole('link', { name: /Einrichtungen|Institutions/ }).click();
  await page.locator('[data-testid="page-institutions"][data-ready="true"]').waitFor();
}

async function preview(page, name, csv, year) {
  await page.getByTestId('import-file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
  await page.getByTestId('import-year').selectOption({ label: year });
  await page.getByTestId('import-preview').click();
}

test('the admin imports the allocation list: a broken copy is refused line by line, the next year adds its FTE, and again changes nothing', async () => {
  const admin = await signedInOffice(server.url, 'admin', LAPTOP);
  try {
    const { page } = admin;
    await openInstitutions(page);
    assert.equal(await page.getByTestId('institution').count(), 42);
    assert.equal(await page.getByTestId('institutions-count').textContent(), '42 Einrichtungen, 42 mit VZÄ im Schuljahr 2026/27: zusammen 73,33 VZÄ');
    const wasser = page.getByTestId('institution').filter({ has: page.getByRole('rowheader', { name: 'Schule am Wasser' }) });
    assert.deepEqual(await wasser.locator('td').allTextContents(), ['Nord', '1–4', '3,3', 'Bearbeiten']);
    assert.deepEqual(await axeViolations(page), []);

    // A broken copy: every bad line, with its number and reason; nothing to import.
    const broken = LIST.replace('Nord,Schule am Wasser,4,3.3', 'Nord,Schule am Wasser,4,drei').replace('Nord,Tami-Oelfken-Schule,4,3.5', 'Nord,Tami-Oelfken-Schule,4');
    await preview(page, 'kaputt.csv', broken, '2027/28');
    await page.getByTestId('import-errors').waitFor();
    assert.deepEqual(await page.getByTestId('import-error').allTextContents(), [
      'Zeile 2: „drei“ ist kein VZÄ-Wert wie 3,3.',
      'Zeile 3: 4 durch Kommas getrennte Felder erwartet, 3 gefunden.',
    ]);
    assert.equal(await page.getByTestId('import-do').count(), 0);
    assert.deepEqual(await axeViolations(page), []);
    await screenshot(page, 'office-import-refused-laptop');

    // The list for 2027/28: 42 schools get that year's FTE.
    await preview(page, 'bremen.csv', LIST, '2027/28');
    await page.getByTestId('import-plan').waitFor();
    assert.match(await page.getByTestId('import-plan').textContent(), /42 Zeilen: 0 neu, 42 geändert, 0 unverändert\./);
    assert.match(await page.getByTestId('import-line').first().textContent(), /^2Schule am Wasser3,3VZÄ für dieses Schuljahr neu$/);
    await page.setViewportSize({ width: TABLET.width, height: TABLET.height });
    assert.deepEqual(await axeViolations(page), []);
    await page.getByTestId('import-do').click();
    await page.getByTestId('import-done').filter({ hasText: 'Importiert für 2027/28: 0 neu, 42 geändert, 0 unverändert.' }).waitFor();
    await page.getByTestId('institutions-count').filter({ hasText: '42 Einrichtungen, 42 mit VZÄ im Schuljahr 2027/28: zusammen 73,33 VZÄ' }).waitFor();
    await screenshot(page, 'office-institutions-tablet');

    // The same list again: nothing changes.
    await preview(page, 'bremen.csv', LIST, '2027/28');
    await page.getByTestId('import-plan').filter({ hasText: '42 Zeilen: 0 neu, 0 geändert, 42 unverändert.' }).waitFor();
    await page.getByTestId('language-switch').click();
    await page.getByTestId('import-plan').filter({ hasText: '42 lines: 0 new, 0 changed, 42 unchanged.' }).waitFor();
    assert.deepEqual(await axeViolations(page), []);
    await screenshot(page, 'office-import-plan-tablet-en');
    await page.getByTestId('language-switch').click();

    // By hand: the Oberschule's one systemic level is year 5, and a day-care centre with its groups.
    const rowOf = (name) => page.getByTestId('institution').filter({ has: page.getByRole('rowheader', { name, exact: true }) });
    await rowOf('Oberschule NOG (5.Jg)').getByTestId('institution-edit').click();
    await page.getByRole('heading', { name: 'Einrichtung bearbeiten: Oberschule NOG (5.Jg)' }).waitFor();
    assert.equal(await page.getByTestId('institution-levels').inputValue(), '1');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'institution-name', 'the form takes the focus');
    await page.getByTestId('institution-levels').fill('5-14');
    await page.getByTestId('institution-save').click();
    await page.getByTestId('institution-problem').filter({ hasText: 'Bitte geben Sie die Jahrgänge als Zahlen von 1 bis 13 ein' }).waitFor();
    await page.getByTestId('institution-levels').fill('5');
    await page.getByTestId('institution-save').click();
    await page.getByTestId('institution-saved').filter({ hasText: 'Gespeichert: Oberschule NOG (5.Jg)' }).waitFor();
    await rowOf('Oberschule NOG (5.Jg)').locator('td').nth(1).filter({ hasText: /^5$/ }).waitFor();
    const form = page.getByTestId('institution-form');
    await form.getByLabel('Einrichtung').fill('Kita Regenbogen');
    await form.getByLabel('Art').selectOption({ label: 'Kita' });
    await form.getByLabel('Region').fill('Ost');
    await form.getByLabel('Systemische Gruppen (eine je Zeile)').fill('Sonnen\nSterne');
    await page.getByTestId('institution-save').click();
    await rowOf('Kita Regenbogen').waitFor();
    assert.deepEqual(await rowOf('Kita Regenbogen').locator('td').allTextContents(), ['Ost', 'Sonnen, Sterne', '–', 'Bearbeiten']);
    // The same name again is refused in words.
    await form.getByLabel('Einrichtung').fill('Kita Regenbogen');
    await form.getByLabel('Art').selectOption({ label: 'Kita' });
    await form.getByLabel('Region').fill('Ost');
    await form.getByLabel('Systemische Gruppen (eine je Zeile)').fill('Monde');
    await page.getByTestId('institution-save').click();
    await page.getByTestId('institution-problem').filter({ hasText: 'Eine Einrichtung dieses Namens gibt es schon.' }).waitFor();
    assert.deepEqual(await axeViolations(page), []);
    await screenshot(page, 'office-institution-by-hand-tablet');
  } finally {
    await admin.close();
  }

  // The team lead sees both years' FTE, and no import.
  const lead = await signedInOffice(server.url, 'teamleitung', TABLET);
  try {
    await openInstitutions(lead.page);
    assert.equal(await lead.page.getByTestId('import-form').count(), 0);
    await lead.page.getByTestId('institutions-year').selectOption({ label: '2027/28' });
    await lead.page.getByTestId('institutions-count').filter({ hasText: 'zusammen 73,33 VZÄ' }).waitFor();
    assert.deepEqual(await axeViolations(lead.page), []);
  } finally {
    await lead.close();
  }
});
