// The Heute timer, offline, in both orientations: one tap starts it; it keeps running while the page
// is closed (it is stored, not held in memory); tapping another activity saves the running one and
// starts the next; "Beenden" saves the last. Time is moved with Playwright's clock, so the test does
// not wait for real minutes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { VIEWPORTS, axeViolations, berlinAt, offlineTablet, problemsBesidesOffline, openToday, screenshot, startServer, waitForController } from './harness.mjs';

let server;
before(async () => { server = await startServer({ demo: true }); });
after(async () => { await server?.stop(); });

/** Opens Heute and waits until the running timer, if any, is read from the store. */
async function openTodayWithTimer(page, url) {
  await openToday(page, url);
  await page.locator('[data-testid="timer"][data-ready="true"]').waitFor({ timeout: 15000 });
}

async function entryTexts(page) {
  return page.getByTestId('entry').locator('.entry-time').allTextContents();
}

for (const viewport of VIEWPORTS) {
  test(`the timer runs across closing the page and splits activities (${viewport.name})`, async () => {
    // 08:10 in Berlin on the tests' day; a demo companion of its own per orientation, signed in, then offline.
    const login = viewport === VIEWPORTS[0] ? 'begleitung01' : 'begleitung02';
    const browser = await offlineTablet(server.url, login, { viewport, clock: berlinAt(0, '08:10') });
    try {
      const { page, context } = browser;
      await openTodayWithTimer(page, server.url);
      await waitForController(page);
      await context.setOffline(true);
      await page.waitForFunction(() => !navigator.onLine);

      await page.getByTestId('timer-individual').click();
      await page.getByTestId('timer-running').waitFor();
      assert.match(await page.getByTestId('timer-running').textContent(), /Einzelbegleitung.*seit 08:10 Uhr/);
      assert.equal(await page.getByTestId('timer-individual').getAttribute('aria-pressed'), 'true');
      await context.clock.fastForward('40:00');
      await page.waitForFunction(() => document.querySelector('[data-testid="timer-elapsed"]')?.textContent === '40 Min.');
      await screenshot(page, 'timer-running');
      assert.deepEqual(await axeViolations(page), []);

      // The tab is closed; the timer goes on without it.
      await page.close();
      await context.clock.fastForward('20:00');
      const reopened = await context.newPage();
      await openTodayWithTimer(reopened, server.url);
      await reopened.getByTestId('timer-running').waitFor();
      assert.equal(await reopened.getByTestId('timer-elapsed').textContent(), '1 Std.');

      // Another activity: the running one is saved as an entry, the new one starts at the same minute.
      await reopened.getByTestId('timer-team_meeting').click();
      await reopened.getByTestId('entry').first().waitFor();
      assert.match(await reopened.getByTestId('timer-running').textContent(), /Teambesprechung.*seit 09:10 Uhr/);
      assert.deepEqual(await entryTexts(reopened), ['08:10–09:10 Uhr']);

      await context.clock.fastForward('30:00');
      await reopened.getByTestId('timer-stop').click();
      await reopened.getByTestId('entry').nth(1).waitFor();
      assert.equal(await reopened.getByTestId('timer-running').count(), 0);
      assert.deepEqual(await entryTexts(reopened), ['08:10–09:10 Uhr', '09:10–09:40 Uhr']);
      assert.equal(await reopened.getByTestId('total-direct').textContent(), '1 Std.');
      assert.equal(await reopened.getByTestId('total-indirect').textContent(), '30 Min.');
      assert.equal(await reopened.getByTestId('pending').textContent(), '2 nicht synchronisiert');
      assert.equal(await reopened.getByTestId('timer-notice').textContent(), 'Zeit gespeichert. Wartet auf die Synchronisierung.');

      // A timer started over time that is already recorded is refused when it stops, and kept running
      // until the companion discards it.
      await context.clock.setSystemTime(berlinAt(0, '09:20'));
      await reopened.getByTestId('timer-class').click();
      await reopened.getByTestId('timer-running').waitFor();
      await context.clock.fastForward('05:00');
      await reopened.getByTestId('timer-stop').click();
      await reopened.waitForFunction(() => document.querySelector('[data-testid="timer-problem"]')?.textContent !== '');
      assert.match(await reopened.getByTestId('timer-problem').textContent(), /Überschneidet sich/);
      assert.equal(await reopened.getByTestId('timer-running').count(), 1, 'nothing is lost on a refused stop');
      await reopened.getByTestId('timer-discard').click();
      await reopened.getByTestId('timer-confirm-discard').click();
      await reopened.getByTestId('timer-running').waitFor({ state: 'detached' });
      assert.equal(await reopened.getByTestId('entry').count(), 2);
      await screenshot(reopened, 'timer-stopped');
      assert.deepEqual(await axeViolations(reopened), []);
      assert.deepEqual(problemsBesidesOffline(browser), []);
    } finally {
      await browser.close();
    }
  });
}

test('a timer left running overnight asks when it ended and records only that time, on its own day', async () => {
  // Started yesterday at 15:30 and forgotten; the tablet is picked up again this morning.
  const browser = await offlineTablet(server.url, 'begleitung03', { viewport: VIEWPORTS[1], clock: berlinAt(-1, '15:30') });
  try {
    const { page, context } = browser;
    await openTodayWithTimer(page, server.url);
    await page.getByTestId('timer-parent_talk').click();
    await page.getByTestId('timer-running').waitFor();
    await context.clock.setSystemTime(berlinAt(0, '07:45'));
    await openTodayWithTimer(page, server.url);

    const forgotten = page.getByTestId('timer-forgotten');
    await forgotten.waitFor();
    assert.match(await forgotten.textContent(), /^Elterngespräch läuft noch seit .+, 15:30 Uhr\. Wann haben Sie aufgehört\?/);
    assert.equal(await page.getByTestId('timer-stop').count(), 0, 'no silent stop over the night');
    assert.ok(await page.getByTestId('timer-individual').isDisabled(), 'nothing new starts before it is answered');
    await screenshot(page, 'timer-forgotten');
    assert.deepEqual(await axeViolations(page), []);

    // An end before the start is refused with the reason; 16:10 is taken.
    await page.getByTestId('timer-end').fill('15:00');
    await page.getByTestId('timer-stop-at').click();
    await page.getByTestId('timer-problem').filter({ hasText: 'Das Ende muss nach dem Beginn liegen.' }).waitFor();
    await page.getByTestId('timer-end').fill('16:10');
    await page.getByTestId('timer-stop-at').click();
    await page.getByTestId('timer-running').waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('entry').count(), 0, 'nothing is recorded for today');
    await page.getByTestId('day-previous').click();
    await page.locator('[data-testid="page-heute"][data-ready="true"]').waitFor();
    // Yesterday's demo entries end at 13:30; the forgotten timer adds exactly 15:30–16:10.
    assert.ok((await entryTexts(page)).includes('15:30–16:10 Uhr'));
    assert.match(await page.getByTestId('entry').filter({ hasText: '15:30–16:10 Uhr' }).textContent(), /Elterngespräch/);
    assert.deepEqual(problemsBesidesOffline(browser), []);
  } finally {
    await browser.close();
  }
});
