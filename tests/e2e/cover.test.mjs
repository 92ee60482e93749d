// Absence and cover, in both tablet orientations: a companion reports being sick on their tablet; the
// team lead sees the absence in the office (laptop and tablet sizes) with the children it affects and
// grants a colleague from another pool cover, written online; the colleague's tablet shows those
// children after its next sync, and no longer once the cover has ended.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  VIEWPORTS, addEntry, allSynced, apiSession, axeViolations, berlinDate, navigateTo, problemsBesidesOffline, screenshot, signedInOffice, signedInTablet, startServer,
} from './harness.mjs';

let server;
before(async () => { server = await startServer({ demo: true }); });
after(async () => { await server?.stop(); });

/** The day `days` after the tests' today in Berlin, as a date input takes it. */
const berlinDay = berlinDate;

/** Syncs now (Einstellungen) and waits until the run is over. */
async function syncNow(page) {
  await navigateToSettings(page);
  await page.getByTestId('sync-now').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid="syncing"]'));
  await allSynced(page);
}

async function navigateToSettings(page) {
  await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Einstellungen' }).click();
  await page.getByTestId('page-einstellungen').waitFor();
}

/** The office's size beside each tablet orientation: a laptop, and a tablet in landscape. */
const OFFICE = { portrait: { name: 'laptop', width: 1280, height: 800 }, landscape: { name: 'tablet', width: 1024, height: 768 } };

for (const viewport of VIEWPORTS) {
  test(`cover granted by the team lead appears on the colleague's tablet and disappears when ended (${viewport.name})`, async () => {
    // Pool 4 (companions 07 and 08) has Kind D. to Kind G.; the cover comes from pool 5 (09 and 10).
    const [absent, covering] = viewport.name === 'portrait' ? ['07', '09'] : ['08', '10'];
    const tablets = [];
    try {
      const companion = await signedInTablet(server.url, `begleitung${absent}`, 'Tablet 3a', viewport);
      tablets.push(companion);
      await navigateTo(companion.page, 'Woche', 'page-woche');
      await companion.page.getByTestId('report-absence').click();
      await companion.page.locator('[data-testid="page-abwesenheit"][data-ready="true"]').waitFor();
      await companion.page.getByLabel('Bis einschließlich').fill(berlinDay(2));
      await companion.page.getByText('Krank').click();
      await companion.page.getByTestId('absence-save').click();
      await companion.page.getByTestId('absence').waitFor();
      assert.match(await companion.page.getByTestId('absence').textContent(), /Krank/);
      await screenshot(companion.page, `absence-${viewport.name}`);
      assert.deepEqual(await axeViolations(companion.page), []);
      await allSynced(companion.page);

      const lead = await signedInOffice(server.url, 'teamleitung', OFFICE[viewport.name]);
      tablets.push(lead);
      await lead.page.locator('[data-testid="page-vertretung"][data-ready="true"]').waitFor();
      const card = lead.page.getByTestId('cover-absence').filter({ hasText: `Begleitung ${absent} (Demo) · Krank` });
      await card.waitFor();
      assert.equal(await card.getByTestId('cover-affected').textContent(), 'Kind D., Kind E., Kind F., Kind G.');
      const option = await card.getByTestId('cover-companion').locator('option', { hasText: `Begleitung ${covering} (Demo)` }).getAttribute('value');
      await card.getByTestId('cover-companion').selectOption(option);
      // The choice has reached the form before the tap (under load the page reacts late).
      const select = await card.getByTestId('cover-companion').elementHandle();
      await lead.page.waitForFunction(([element, value]) => element.value === value, [select, option]);
      // A double tap, as on a tablet that seems slow to react: one grant, not two.
      await card.getByTestId('cover-grant-submit').dblclick();
      await card.getByTestId('cover-grant').waitFor();
      assert.match(await card.getByTestId('cover-grant').textContent(), new RegExp(`Vertretung: Begleitung ${covering} \\(Demo\\)`));
      await screenshot(lead.page, `office-cover-${OFFICE[viewport.name].name}`);
      assert.deepEqual(await axeViolations(lead.page), []);
      assert.equal(await card.getByTestId('cover-grant').count(), 1, 'a double tap on "Vertretung eintragen" creates one cover grant');
      // Tapped once more, the same cover is refused with the reason.
      await card.getByTestId('cover-grant-submit').click();
      await card.getByTestId('cover-problem').filter({ hasText: 'Diese Vertretung ist für diese Tage schon eingetragen.' }).waitFor();
      assert.equal(await card.getByTestId('cover-grant').count(), 1);

      // The colleague's tablet: the covered pool's children arrive with the next sync.
      const colleague = await signedInTablet(server.url, `begleitung${covering}`, 'Tablet 4b', viewport);
      tablets.push(colleague);
      await navigateTo(colleague.page, 'Kinder', 'page-kinder');
      assert.match(await colleague.page.getByTestId('cover-notice').textContent(), /^Vertretung in .+ bis /);
      assert.equal(await colleague.page.getByTestId('child').count(), 8, 'their own four and the covered four');
      await screenshot(colleague.page, `kinder-covering-${viewport.name}`);
      assert.deepEqual(await axeViolations(colleague.page), []);

      // Their own time still goes into their own pool, never into the covered one (which leaves the
      // tablet when the cover ends); a group session may go into either, and the form asks.
      await navigateTo(colleague.page, 'Heute', 'page-heute');
      assert.equal(await colleague.page.getByTestId('entry-pool').count(), 0, 'one own pool: the time form does not ask');
      const note = `Eigene Vorbereitung ${viewport.name}`;
      await addEntry(colleague.page, { start: '07:30', end: '07:45', category: 'preparation', note });
      await allSynced(colleague.page);
      const api = await apiSession(server.url, `begleitung${covering}`);
      const ownPool = (await api.call('/pools')).find((pool) => pool.people.some((person) => person.id === api.user.id)).id;
      const entry = (await api.pullAll()).find((r) => r.kind === 'time_entry' && r.fields?.note === note);
      assert.equal(entry.pool, ownPool, 'a companion with a cover grant files their own work in their own pool');
      await colleague.page.getByTestId('add-session').click();
      await colleague.page.locator('[data-testid="page-gruppenangebot"][data-ready="true"]').waitFor();
      assert.equal(await colleague.page.getByTestId('session-pool').locator('option').count(), 2, 'own pool and covered pool');
      assert.deepEqual(await axeViolations(colleague.page), []);

      // The team lead ends the cover: after the next sync the covered children are gone again.
      await card.getByTestId('cover-end').click();
      await card.getByTestId('cover-grant').waitFor({ state: 'detached' });
      await syncNow(colleague.page);
      await navigateTo(colleague.page, 'Kinder', 'page-kinder');
      assert.equal(await colleague.page.getByTestId('cover-notice').count(), 0);
      assert.equal(await colleague.page.getByTestId('child').count(), 4);

      for (const tablet of tablets) assert.deepEqual(problemsBesidesOffline(tablet), []);

      // In English, too, the office is accessible.
      await lead.page.getByTestId('language-switch').click();
      await lead.page.getByRole('heading', { name: 'Cover', exact: true }).waitFor();
      assert.deepEqual(await axeViolations(lead.page), []);
    } finally {
      for (const tablet of tablets) await tablet.close();
    }
  });
}
